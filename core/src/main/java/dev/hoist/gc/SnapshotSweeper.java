package dev.hoist.gc;

import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collects the committed snapshots of one snapshotter that no image reaches: containerd's rule,
 * where an image config's {@code containerd.io/gc.ref.snapshot.<snapshotter>} label keeps its top
 * snapshot and a kept snapshot keeps its parents. Removal goes children first, as a snapshot with
 * children cannot be removed. Active snapshots and views (a pull in progress, a mounted view) are
 * left alone; a pull holds off collection until its image is recorded.
 */
public final class SnapshotSweeper implements Sweeper {

  private final Snapshotter snapshotter;

  /**
   * A sweeper of {@code snapshotter}'s committed snapshots.
   *
   * @param snapshotter the snapshotter; its {@link Snapshotter#name()} selects the labels followed
   */
  public SnapshotSweeper(Snapshotter snapshotter) {
    this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
  }

  @Override
  public List<String> sweep(GcMarks marks, boolean dryRun) throws IOException {
    Map<String, SnapshotInfo> all = new HashMap<>();
    snapshotter.walk(info -> all.put(info.name(), info));
    Set<String> keep = new HashSet<>();
    for (String key : marks.snapshots().getOrDefault(snapshotter.name(), Set.of())) {
      for (String k = key; k != null && keep.add(k); ) {
        SnapshotInfo info = all.get(k);
        k = info == null ? null : info.parent();
      }
    }
    // Anything not committed (an apply in progress, a view) keeps its parents too.
    for (SnapshotInfo info : all.values()) {
      if (info.kind() != Kind.COMMITTED) {
        for (String k = info.parent(); k != null && keep.add(k); ) {
          SnapshotInfo parent = all.get(k);
          k = parent == null ? null : parent.parent();
        }
      }
    }
    List<SnapshotInfo> doomed = new ArrayList<>();
    for (SnapshotInfo info : all.values()) {
      if (info.kind() == Kind.COMMITTED && !keep.contains(info.name())) {
        doomed.add(info);
      }
    }
    // Children before parents: deepest chain first.
    Map<String, Integer> depth = new HashMap<>();
    doomed.sort((a, b) -> Integer.compare(depth(b, all, depth), depth(a, all, depth)));
    List<String> removed = new ArrayList<>();
    for (SnapshotInfo info : doomed) {
      if (!dryRun) {
        snapshotter.remove(info.name());
      }
      removed.add("snapshot " + snapshotter.name() + "/" + info.name());
    }
    return removed;
  }

  private static int depth(
      SnapshotInfo info, Map<String, SnapshotInfo> all, Map<String, Integer> memo) {
    Integer known = memo.get(info.name());
    if (known != null) {
      return known;
    }
    int d = 0;
    for (SnapshotInfo p = all.get(info.parent());
        p != null && d <= all.size();
        p = all.get(p.parent())) {
      d++;
    }
    memo.put(info.name(), d);
    return d;
  }
}
