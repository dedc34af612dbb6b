package dev.hoist.errors;

/** A failure that fits no other category. */
public non-sealed class UnknownException extends HoistException {

  private static final long serialVersionUID = 1L;

  public UnknownException(String message) {
    super(message, null);
  }

  public UnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
