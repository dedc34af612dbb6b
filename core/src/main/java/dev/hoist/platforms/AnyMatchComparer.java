package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.List;
import java.util.stream.Collectors;

/** Matches any of its platforms with no preference between them (compare is always 0). */
final class AnyMatchComparer implements MatchComparer {

  private final List<PlatformSpecMatcher> matchers;

  AnyMatchComparer(List<PlatformSpecMatcher> matchers) {
    this.matchers = List.copyOf(matchers);
  }

  @Override
  public boolean match(Platform platform) {
    if (platform == null) {
      return false;
    }
    Platform n = Platforms.normalize(platform);
    for (PlatformSpecMatcher m : matchers) {
      if (m.matchNormalized(n)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int compare(Platform a, Platform b) {
    return 0;
  }

  @Override
  public String toString() {
    return matchers.stream().map(Object::toString).collect(Collectors.joining(", ", "any[", "]"));
  }
}
