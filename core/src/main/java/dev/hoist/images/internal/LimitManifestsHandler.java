package dev.hoist.images.internal;

import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Handler;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * containerd's {@code LimitManifests}: orders an index's children by preference and keeps the first
 * {@code limit}; with a positive limit and nothing left, no manifest matched.
 */
public final class LimitManifestsHandler implements Handler {

  private final Handler inner;
  private final MatchComparer comparer;
  private final int limit;

  public LimitManifestsHandler(Handler inner, MatchComparer comparer, int limit) {
    this.inner = inner;
    this.comparer = comparer;
    this.limit = limit;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = Children.of(inner, desc);
    if (!MediaTypes.isIndex(desc.mediaType())) {
      return children;
    }
    List<Descriptor> sorted = new ArrayList<>(children);
    // List.sort is stable, as Go's sort.SliceStable: equally preferred manifests keep index order.
    sorted.sort(byPreference(comparer));
    if (limit > 0) {
      if (sorted.isEmpty()) {
        throw new NotFoundException(
            "index " + desc.digest() + ": no manifest matches platform " + comparer);
      }
      if (sorted.size() > limit) {
        return new ArrayList<>(sorted.subList(0, limit));
      }
    }
    return sorted;
  }

  /** Preferred platforms first; descriptors without a platform after every platform-bearing one. */
  public static Comparator<Descriptor> byPreference(MatchComparer comparer) {
    return (a, b) -> {
      if (a.platform() == null) {
        return b.platform() == null ? 0 : 1;
      }
      if (b.platform() == null) {
        return -1;
      }
      return comparer.compare(a.platform(), b.platform());
    };
  }
}
