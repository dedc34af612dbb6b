package dev.hoist.errors;

import dev.hoist.digest.Digest;

/** Committed bytes hashed to a different digest than the descriptor promised. */
public final class DigestMismatchException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  /** The digest the descriptor promised. */
  private final Digest expected;

  /** The digest of the bytes written. */
  private final Digest actual;

  /**
   * Creates the exception; the message names both digests.
   *
   * @param expected the digest the descriptor promised
   * @param actual the digest of the bytes written
   */
  public DigestMismatchException(Digest expected, Digest actual) {
    super("unexpected commit digest " + actual + ", expected " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * A mismatch described by {@code context}, e.g. which layer of which image.
   *
   * @param context what was being verified; the digests are appended
   * @param expected the digest promised
   * @param actual the digest computed
   */
  public DigestMismatchException(String context, Digest expected, Digest actual) {
    super(context + ": expected " + expected + ", got " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /** {@return the digest the descriptor promised} */
  public Digest expected() {
    return expected;
  }

  /** {@return the digest of the bytes written} */
  public Digest actual() {
    return actual;
  }
}
