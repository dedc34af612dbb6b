package dev.hoist.errors;

/**
 * Credentials are missing or were refused. The message names the host and repository, never the
 * secret.
 */
public non-sealed class UnauthorizedException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public UnauthorizedException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public UnauthorizedException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure that a registry reply shows.
   *
   * @param message what failed, naming the input
   * @param reply the host and HTTP status that answered
   */
  public UnauthorizedException(String message, RegistryReply reply) {
    super(message, null, reply);
  }
}
