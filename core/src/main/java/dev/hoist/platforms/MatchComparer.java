package dev.hoist.platforms;

import dev.hoist.spec.Platform;
import java.util.Comparator;

/**
 * A matcher that also ranks platforms by preference, as containerd's {@code
 * platforms.MatchComparer}: {@link #compare} orders the preferred platform first.
 */
public interface MatchComparer extends PlatformMatcher, Comparator<Platform> {

  /**
   * Negative when {@code a} is preferred over {@code b}, positive when {@code b} is, zero when
   * neither is.
   */
  @Override
  int compare(Platform a, Platform b);
}
