package dev.hoist.errors;

/** The thing being created exists already, e.g. a blob committed by someone else first. */
public non-sealed class AlreadyExistsException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public AlreadyExistsException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
