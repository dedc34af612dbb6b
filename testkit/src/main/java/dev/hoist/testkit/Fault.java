package dev.hoist.testkit;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.testkit.internal.Checks;
import java.net.URI;
import java.time.Duration;

/**
 * One misbehaviour the registry can show for a request. Immutable; create one with the static
 * factories and attach it to requests with a {@link FaultRule}. Several faults may apply to one
 * request (for example a Content-Length lie and a dropped connection).
 *
 * <p>Body offsets ({@link #dropAfter}, {@link #stall}, {@link #corruptByte}) count bytes of the
 * response body as sent, not positions in the blob.
 */
public final class Fault {

  /** What a fault does. */
  public enum Kind {
    /** Answer with a status (and an error body) instead of serving the request. */
    STATUS,
    /** Close the connection after a number of body bytes. */
    DROP_AFTER,
    /** Stop sending after a number of body bytes for a while, then continue. */
    STALL,
    /** Flip one byte of the body. */
    CORRUPT_BYTE,
    /** Declare a different Content-Length; send at most that many bytes. */
    CONTENT_LENGTH,
    /** Declare a different Docker-Content-Digest. */
    DIGEST_HEADER,
    /** Answer 307 pointing elsewhere. */
    REDIRECT,
    /** Answer a Range request with 200 and the whole body. */
    IGNORE_RANGE,
    /** Send the body at most this many bytes per second. */
    BANDWIDTH
  }

  private final Kind kind;
  private final int status;
  private final Duration duration;
  private final long bytes;
  private final Digest digest;
  private final URI location;
  private final boolean keepPath;

  private Fault(
      Kind kind,
      int status,
      Duration duration,
      long bytes,
      Digest digest,
      URI location,
      boolean keepPath) {
    this.kind = kind;
    this.status = status;
    this.duration = duration;
    this.bytes = bytes;
    this.digest = digest;
    this.location = location;
    this.keepPath = keepPath;
  }

  /**
   * Answer {@code status} (e.g. 500, 503) with a registry error body.
   *
   * @param status an HTTP status, 100 to 599
   * @return the fault
   * @throws InvalidArgumentException when {@code status} is not an HTTP status
   */
  public static Fault status(int status) {
    checkStatus(status);
    return new Fault(Kind.STATUS, status, null, 0, null, null, false);
  }

  /**
   * Answer {@code status} (e.g. 429, 503) with {@code Retry-After} in whole seconds.
   *
   * @param status an HTTP status, 100 to 599
   * @param retryAfter the delay sent, rounded down to whole seconds; zero or positive
   * @return the fault
   * @throws InvalidArgumentException when {@code status} is not an HTTP status or {@code
   *     retryAfter} is negative
   */
  public static Fault status(int status, Duration retryAfter) {
    checkStatus(status);
    if (retryAfter == null || retryAfter.isNegative()) {
      throw new InvalidArgumentException("retryAfter must be zero or positive: " + retryAfter);
    }
    return new Fault(Kind.STATUS, status, retryAfter, 0, null, null, false);
  }

  /**
   * Close the connection after sending {@code bodyBytes} bytes of the body (0: right after the
   * headers).
   *
   * @param bodyBytes the body bytes sent before the connection is closed; zero or positive
   * @return the fault
   */
  public static Fault dropAfter(long bodyBytes) {
    return new Fault(
        Kind.DROP_AFTER, 0, null, nonNegative(bodyBytes, "bodyBytes"), null, null, false);
  }

  /**
   * After {@code bodyBytes} bytes of the body, send nothing for {@code duration}, then continue.
   * The server thread waits on a latch, so {@link Faults#releaseStalls()} and closing the registry
   * end the stall early.
   *
   * @param bodyBytes the body bytes sent before the stall; zero or positive
   * @param duration how long nothing is sent; zero or positive
   * @return the fault
   */
  public static Fault stall(long bodyBytes, Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new InvalidArgumentException("stall duration must be zero or positive: " + duration);
    }
    return new Fault(
        Kind.STALL, 0, duration, nonNegative(bodyBytes, "bodyBytes"), null, null, false);
  }

  /**
   * Flip every bit of the body byte at {@code bodyOffset} (no effect when the body is shorter).
   *
   * @param bodyOffset the offset in the body as sent; zero or positive
   * @return the fault
   */
  public static Fault corruptByte(long bodyOffset) {
    return new Fault(
        Kind.CORRUPT_BYTE, 0, null, nonNegative(bodyOffset, "bodyOffset"), null, null, false);
  }

  /**
   * Declare {@code length} as the Content-Length. When it is shorter than the body, only that many
   * bytes are sent; when longer, the whole body is sent and then the connection is closed.
   *
   * @param length the Content-Length declared; zero or positive
   * @return the fault
   */
  public static Fault contentLength(long length) {
    return new Fault(
        Kind.CONTENT_LENGTH, 0, null, nonNegative(length, "length"), null, null, false);
  }

  /**
   * Send {@code digest} as the Docker-Content-Digest header.
   *
   * @param digest the digest declared, usually not the body's
   * @return the fault
   */
  public static Fault digestHeader(Digest digest) {
    Checks.notNull(digest, "digest");
    return new Fault(Kind.DIGEST_HEADER, 0, null, 0, digest, null, false);
  }

  /**
   * Answer 307 with a Location of {@code other}'s URL plus this request's path and query.
   *
   * @param other the registry the request is sent on to
   * @return the fault
   */
  public static Fault redirectTo(TestRegistry other) {
    return redirectTo(other.url());
  }

  /**
   * Answer 307 with a Location of {@code baseUrl} plus this request's path and query.
   *
   * @param baseUrl the scheme, host and port the request is sent on to
   * @return the fault
   */
  public static Fault redirectTo(URI baseUrl) {
    Checks.notNull(baseUrl, "baseUrl");
    return new Fault(Kind.REDIRECT, 307, null, 0, null, baseUrl, true);
  }

  /**
   * Answer 307 with exactly {@code location} (e.g. a pre-signed storage URL).
   *
   * @param location the whole target URL
   * @return the fault
   */
  public static Fault redirectExactly(URI location) {
    Checks.notNull(location, "location");
    return new Fault(Kind.REDIRECT, 307, null, 0, null, location, false);
  }

  /**
   * {@return a fault that ignores any Range header: answer 200 with the whole body, as some CDNs
   * do}
   */
  public static Fault ignoreRange() {
    return new Fault(Kind.IGNORE_RANGE, 0, null, 0, null, null, false);
  }

  /**
   * Send the body at no more than {@code bytesPerSecond} on this connection.
   *
   * @param bytesPerSecond the rate limit, positive
   * @return the fault
   * @throws InvalidArgumentException when {@code bytesPerSecond} is not positive
   */
  public static Fault bandwidth(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new InvalidArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
    }
    return new Fault(Kind.BANDWIDTH, 0, null, bytesPerSecond, null, null, false);
  }

  /** {@return what this fault does} */
  public Kind kind() {
    return kind;
  }

  /** {@return the status for {@link Kind#STATUS} and {@link Kind#REDIRECT}, else 0} */
  public int status() {
    return status;
  }

  /** {@return Retry-After for {@link Kind#STATUS}, stall time for {@link Kind#STALL}, else null} */
  public Duration duration() {
    return duration;
  }

  /** {@return the byte count, offset, length or rate this fault is parameterised by, else 0} */
  public long bytes() {
    return bytes;
  }

  /** {@return the lied digest for {@link Kind#DIGEST_HEADER}, else null} */
  public Digest digest() {
    return digest;
  }

  /** {@return the redirect target for {@link Kind#REDIRECT}, else null} */
  public URI location() {
    return location;
  }

  /**
   * {@return for {@link Kind#REDIRECT}: whether the request's path and query are appended to {@link
   * #location()}}
   */
  public boolean keepsPath() {
    return keepPath;
  }

  @Override
  public String toString() {
    switch (kind) {
      case STATUS:
        return "status "
            + status
            + (duration == null ? "" : " retry-after " + duration.toSeconds() + "s");
      case STALL:
        return "stall after " + bytes + " bytes for " + duration;
      case DIGEST_HEADER:
        return "digest header " + digest;
      case REDIRECT:
        return "redirect to " + location + (keepPath ? " + path" : "");
      case IGNORE_RANGE:
        return "ignore range";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + bytes;
    }
  }

  private static void checkStatus(int status) {
    if (status < 100 || status > 599) {
      throw new InvalidArgumentException("not an HTTP status: " + status);
    }
  }

  private static long nonNegative(long v, String name) {
    if (v < 0) {
      throw new InvalidArgumentException(name + " must be zero or positive: " + v);
    }
    return v;
  }
}
