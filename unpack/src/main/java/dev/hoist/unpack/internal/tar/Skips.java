package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.unpack.SkipCounts;

/**
 * Counts what a layer could not apply, or fails at the first such thing when strict. Not
 * thread-safe.
 */
final class Skips {

  /** Why something was skipped. */
  enum Kind {
    OWNERSHIP,
    DEVICE,
    FIFO,
    XATTR,
    SPECIAL_MODE
  }

  private final boolean strict;
  private final long[] counts = new long[Kind.values().length];

  Skips(boolean strict) {
    this.strict = strict;
  }

  /**
   * Counts one skip of {@code kind} for {@code entry}, or throws when strict.
   *
   * @throws FailedPreconditionException when strict, naming the entry and what was not applied
   */
  void skip(Kind kind, String entry, String what) {
    if (strict) {
      throw new FailedPreconditionException(
          "tar entry " + EntryNames.quote(entry) + ": cannot apply " + what);
    }
    counts[kind.ordinal()]++;
  }

  SkipCounts counts() {
    return new SkipCounts(
        counts[Kind.OWNERSHIP.ordinal()],
        counts[Kind.DEVICE.ordinal()],
        counts[Kind.FIFO.ordinal()],
        counts[Kind.XATTR.ordinal()],
        counts[Kind.SPECIAL_MODE.ordinal()]);
  }
}
