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
}
