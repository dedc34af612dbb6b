package dev.hoist.errors;

import dev.hoist.digest.Digest;

/** Committed bytes hashed to a different digest than the descriptor promised. */
public final class DigestMismatchException extends FailedPreconditionException {

  private static final long serialVersionUID = 1L;

  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(Digest expected, Digest actual) {
    super("unexpected commit digest " + actual + ", expected " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
