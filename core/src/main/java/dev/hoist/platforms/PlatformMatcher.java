package dev.hoist.platforms;

import dev.hoist.spec.Platform;

/** Decides whether a platform is acceptable, as containerd's {@code platforms.Matcher}. */
@FunctionalInterface
public interface PlatformMatcher {

  /**
   * True when {@code platform} is acceptable; a null platform (none declared) may be refused.
   *
   * @param platform the platform a descriptor or config declares; nullable
   * @return whether it is acceptable
   */
  boolean match(Platform platform);
}
