package dev.hoist.platforms;

import dev.hoist.spec.Platform;

/** Decides whether a platform is acceptable, as containerd's {@code platforms.Matcher}. */
@FunctionalInterface
public interface PlatformMatcher {

  boolean match(Platform platform);
}
