package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Matches any of its platforms and prefers them in the order given, as containerd's {@code
 * platforms.Ordered}: a platform matched by an earlier entry sorts first; between two matched by
 * the same entry, the one with more os features; platforms no entry matches sort last, ranked again
 * with their os features ignored (containerd's fallback).
 */
final class OrderedMatchComparer implements MatchComparer {

  private final List<PlatformSpecMatcher> matchers;

  OrderedMatchComparer(List<PlatformSpecMatcher> matchers) {
    this.matchers = List.copyOf(matchers);
  }

  @Override
  public boolean match(Platform platform) {
    return rank(platform) >= 0;
  }

  @Override
  public int compare(Platform a, Platform b) {
    // Compare by a key, so that the order is total and transitive (sorting relies on it).
    int ra = rank(a);
    int rb = rank(b);
    if (ra >= 0 && rb >= 0) {
      return ra != rb ? Integer.compare(ra, rb) : Integer.compare(featureCount(b), featureCount(a));
    }
    if (ra >= 0 || rb >= 0) {
      return ra >= 0 ? -1 : 1;
    }
    int sa = rank(withoutFeatures(a));
    int sb = rank(withoutFeatures(b));
    if (sa >= 0 && sb >= 0) {
      return Integer.compare(sa, sb);
    }
    if (sa >= 0 || sb >= 0) {
      return sa >= 0 ? -1 : 1;
    }
    return 0;
  }

  /** Index of the first matcher that accepts {@code p}, or -1. */
  private int rank(Platform p) {
    if (p == null) {
      return -1;
    }
    Platform n = Platforms.normalize(p);
    for (int i = 0; i < matchers.size(); i++) {
      if (matchers.get(i).matchNormalized(n)) {
        return i;
      }
    }
    return -1;
  }

  private static int featureCount(Platform p) {
    return p.osFeatures().size();
  }

  private static Platform withoutFeatures(Platform p) {
    if (p == null || p.osFeatures().isEmpty()) {
      return p;
    }
    return new Platform(p.os(), p.architecture(), p.variant(), p.osVersion(), List.of());
  }

  @Override
  public String toString() {
    return matchers.stream()
        .map(Object::toString)
        .collect(Collectors.joining(", ", "ordered[", "]"));
  }
}
