package dev.hoist.images;

import dev.hoist.platforms.MatchComparer;
import dev.hoist.spec.Platform;
import java.util.List;

/** Exact-match comparers for tests that must not depend on platform normalisation. */
final class TestMatchers {

  private TestMatchers() {}

  /** Accepts exactly {@code platforms}, preferring earlier ones. */
  static MatchComparer ordered(Platform... platforms) {
    List<Platform> wanted = List.of(platforms);
    return new MatchComparer() {
      @Override
      public boolean match(Platform p) {
        return wanted.contains(p);
      }

      @Override
      public int compare(Platform a, Platform b) {
        return Integer.compare(rank(a), rank(b));
      }

      private int rank(Platform p) {
        int i = wanted.indexOf(p);
        return i < 0 ? Integer.MAX_VALUE : i;
      }

      @Override
      public String toString() {
        return wanted.toString();
      }
    };
  }
}
