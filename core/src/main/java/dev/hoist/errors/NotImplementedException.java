package dev.hoist.errors;

/** The operation or format is not supported, e.g. a Docker schema 1 manifest. */
public non-sealed class NotImplementedException extends HoistException {

  private static final long serialVersionUID = 1L;

  public NotImplementedException(String message) {
    super(message, null);
  }

  public NotImplementedException(String message, Throwable cause) {
    super(message, cause);
  }
}
