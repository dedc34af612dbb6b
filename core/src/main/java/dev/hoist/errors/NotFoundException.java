package dev.hoist.errors;

/** The thing asked for does not exist: a tag, a blob, a manifest for the wanted platform. */
public non-sealed class NotFoundException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public NotFoundException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure that a registry reply shows.
   *
   * @param message what failed, naming the input
   * @param reply the host and HTTP status that answered
   */
  public NotFoundException(String message, RegistryReply reply) {
    super(message, null, reply);
  }
}
