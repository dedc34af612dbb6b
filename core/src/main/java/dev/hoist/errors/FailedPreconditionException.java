package dev.hoist.errors;

/** The precondition of an operation did not hold, e.g. a commit whose size differs. */
public non-sealed class FailedPreconditionException extends HoistException {

  private static final long serialVersionUID = 1L;

  public FailedPreconditionException(String message) {
    super(message, null);
  }

  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }
}
