package dev.hoist.platforms;

import dev.hoist.spec.Platform;

/** Matches every platform (even none) with no preference, as containerd's {@code platforms.All}. */
enum AllMatchComparer implements MatchComparer {
  INSTANCE;

  @Override
  public boolean match(Platform platform) {
    return true;
  }

  @Override
  public int compare(Platform a, Platform b) {
    return 0;
  }

  @Override
  public String toString() {
    return "all";
  }
}
