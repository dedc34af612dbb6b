package dev.hoist.errors;

/**
 * A resource is temporarily unavailable: the network, an overloaded registry, a busy ingest ref.
 * Retrying may succeed.
 */
public non-sealed class UnavailableException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public UnavailableException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A failure that a registry reply shows.
   *
   * @param message what failed, naming the input
   * @param reply the host and HTTP status that answered
   */
  public UnavailableException(String message, RegistryReply reply) {
    super(message, null, reply);
  }
}
