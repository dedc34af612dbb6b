package dev.hoist.gc;

import dev.hoist.digest.Digest;
import java.util.Map;
import java.util.Set;

/**
 * What the mark phase found reachable from the images.
 *
 * @param content every blob digest reachable (present or not)
 * @param snapshots snapshot keys referenced by {@code containerd.io/gc.ref.snapshot.<snapshotter>}
 *     labels, by snapshotter name; for a snapshot collector
 */
public record GcMarks(Set<Digest> content, Map<String, Set<String>> snapshots) {

  /**
   * Copies the sets.
   *
   * @param content every blob digest reachable (present or not)
   * @param snapshots snapshot keys referenced by labels, by snapshotter name
   */
  public GcMarks {
    content = Set.copyOf(content);
    snapshots = Map.copyOf(snapshots);
  }
}
