package dev.hoist.errors;

/** The thing asked for does not exist: a tag, a blob, a manifest for the wanted platform. */
public non-sealed class NotFoundException extends HoistException {

  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message, null);
  }

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
