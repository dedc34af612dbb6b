package dev.hoist.errors;

/** The thing being created exists already, e.g. a blob committed by someone else first. */
public non-sealed class AlreadyExistsException extends HoistException {

  private static final long serialVersionUID = 1L;

  public AlreadyExistsException(String message) {
    super(message, null);
  }

  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
