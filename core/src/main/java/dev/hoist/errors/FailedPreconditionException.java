package dev.hoist.errors;

/** The precondition of an operation did not hold, e.g. a commit whose size differs. */
public non-sealed class FailedPreconditionException extends HoistException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input or operation that failed; never a secret
   */
  public FailedPreconditionException(String message) {
    super(message, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message one line naming the input or operation that failed; never a secret
   * @param cause the underlying failure; nullable
   */
  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }
}
