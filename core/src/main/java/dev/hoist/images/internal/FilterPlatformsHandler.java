package dev.hoist.images.internal;

import dev.hoist.images.Handler;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps children without a platform or with a matching one (containerd {@code FilterPlatforms}).
 */
public final class FilterPlatformsHandler implements Handler {

  private final Handler inner;
  private final PlatformMatcher matcher;

  public FilterPlatformsHandler(Handler inner, PlatformMatcher matcher) {
    this.inner = inner;
    this.matcher = matcher;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = Children.of(inner, desc);
    List<Descriptor> kept = new ArrayList<>(children.size());
    for (Descriptor child : children) {
      if (child.platform() == null || matcher.match(child.platform())) {
        kept.add(child);
      }
    }
    return kept;
  }
}
