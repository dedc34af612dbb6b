package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import java.time.Duration;

/** Validation shared by the builders' timeout options. */
public final class Durations {

  private Durations() {}

  /**
   * Returns {@code d} when it is positive.
   *
   * @throws InvalidArgumentException naming the option when {@code d} is null, zero or negative
   */
  public static Duration positive(Duration d, String option) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidArgumentException(option + " must be positive, got " + d);
    }
    return d;
  }
}
