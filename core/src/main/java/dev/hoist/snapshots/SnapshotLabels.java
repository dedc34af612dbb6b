package dev.hoist.snapshots;

import java.util.Objects;

/** Labels a pull writes on content and snapshots, containerd's where containerd has one. */
public final class SnapshotLabels {

  /** On a layer blob: its uncompressed digest (DiffID), containerd's label. */
  public static final String UNCOMPRESSED = "containerd.io/uncompressed";

  /**
   * On an active snapshot an unpack prepared and will commit or remove: a snapshotter may remove
   * such a snapshot once no process holds it any more (a crashed unpack), and may share the
   * parent's files with it by hard links, since only an {@link dev.hoist.diff.Applier} writes into
   * it. Value: the chain ID.
   */
  public static final String TRANSIENT = "dev.hoist/unpack.transient";

  private SnapshotLabels() {}

  /**
   * The garbage-collection reference from an image config to its top snapshot, containerd's {@code
   * containerd.io/gc.ref.snapshot.<snapshotter>}.
   *
   * @param snapshotter the snapshotter's {@link Snapshotter#name()}
   * @return the label key
   */
  public static String gcRefSnapshot(String snapshotter) {
    return "containerd.io/gc.ref.snapshot." + Objects.requireNonNull(snapshotter, "snapshotter");
  }
}
