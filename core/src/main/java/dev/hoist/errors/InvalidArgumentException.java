package dev.hoist.errors;

/** An argument was malformed: a reference, digest, manifest, configuration file or option. */
public non-sealed class InvalidArgumentException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public InvalidArgumentException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure that a registry reply shows.
   *
   * @param message what failed, naming the input
   * @param reply the host and HTTP status that answered
   */
  public InvalidArgumentException(String message, RegistryReply reply) {
    super(message, null, reply);
  }
}
