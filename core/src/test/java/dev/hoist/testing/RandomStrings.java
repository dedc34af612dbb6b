package dev.hoist.testing;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Seeded random short strings over a small alphabet: inputs for checks against an oracle. */
public final class RandomStrings {

  private RandomStrings() {}

  /**
   * Hands {@code count} strings of 0 to {@code maxLength} characters drawn from {@code alphabet} to
   * {@code check}; the same seed gives the same strings.
   *
   * @param seed the random seed
   * @param count how many strings
   * @param alphabet the characters to draw from
   * @param maxLength the longest string
   * @param check receives each string
   */
  public static void forEach(
      long seed, int count, String alphabet, int maxLength, Consumer<String> check) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(maxLength);
    for (int i = 0; i < count; i++) {
      b.setLength(0);
      int n = r.nextInt(maxLength + 1);
      for (int k = 0; k < n; k++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      check.accept(b.toString());
    }
  }
}
