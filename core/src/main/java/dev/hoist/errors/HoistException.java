package dev.hoist.errors;

/**
 * Root of every failure Hoist classifies. Callers branch on the subtype, never on the message; a
 * failure that comes from a registry reply carries its host and HTTP status ({@link
 * #registryReply()}).
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

  /** The reply this failure comes from, or null. */
  private final RegistryReply reply;

  HoistException(String message, Throwable cause) {
    this(message, cause, null);
  }

  HoistException(String message, Throwable cause, RegistryReply reply) {
    super(message, cause);
    this.reply = reply;
  }

  /**
   * The registry reply this failure comes from: the host that answered and its HTTP status (after
   * retries, the last reply). Empty for failures without a reply (a refused connection, a malformed
   * reference, a digest mismatch).
   *
   * @return the reply, if any
   */
  public java.util.Optional<RegistryReply> registryReply() {
    return java.util.Optional.ofNullable(reply);
  }
}
