package dev.hoist.errors;

/** The operation or format is not supported, e.g. a Docker schema 1 manifest. */
public non-sealed class NotImplementedException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public NotImplementedException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public NotImplementedException(String message, Throwable cause) {
    super(message, cause);
  }
}
