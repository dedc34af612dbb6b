package dev.hoist.testkit.internal;

import dev.hoist.errors.InvalidArgumentException;

/** Argument checks that fail with Hoist's error family rather than a NullPointerException. */
public final class Checks {

  private Checks() {}

  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new InvalidArgumentException(name + " must not be null");
    }
    return value;
  }
}
