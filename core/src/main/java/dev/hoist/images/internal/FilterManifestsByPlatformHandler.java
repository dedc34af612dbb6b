package dev.hoist.images.internal;

import dev.hoist.images.Handler;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * containerd's {@code FilterManifestByPlatformHandler}, used for "all metadata" fetches: a manifest
 * whose descriptor names a platform the matcher rejects keeps only its config child.
 */
public final class FilterManifestsByPlatformHandler implements Handler {

  private final Handler inner;
  private final PlatformMatcher matcher;

  public FilterManifestsByPlatformHandler(Handler inner, PlatformMatcher matcher) {
    this.inner = inner;
    this.matcher = matcher;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = Children.of(inner, desc);
    if (desc.platform() == null
        || !MediaTypes.isManifest(desc.mediaType())
        || matcher.match(desc.platform())) {
      return children;
    }
    List<Descriptor> configs = new ArrayList<>(1);
    for (Descriptor child : children) {
      if (MediaTypes.isConfig(child.mediaType())) {
        configs.add(child);
      }
    }
    return configs;
  }
}
