package dev.hoist.errors;

/**
 * Root of every failure Hoist classifies. Callers branch on the subtype, never on the message;
 * HTTP statuses and registry error codes hang off the cause.
 *
 * <p>The categories mirror containerd's {@code errdefs}.
 */
public abstract sealed class HoistException extends RuntimeException
    permits InvalidArgumentException,
        NotFoundException,
        AlreadyExistsException,
        FailedPreconditionException,
        UnavailableException,
        UnauthorizedException,
        NotImplementedException,
        UnknownException {

  private static final long serialVersionUID = 1L;

  HoistException(String message, Throwable cause) {
    super(message, cause);
  }
}
