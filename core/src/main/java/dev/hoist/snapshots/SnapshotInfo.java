package dev.hoist.snapshots;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshotter knows of one snapshot, as containerd's {@code snapshots.Info}.
 *
 * @param name the key of an active or view snapshot, the name of a committed one
 * @param parent the committed parent's name, or null for a snapshot with no parent
 * @param kind active, view or committed
 * @param labels never null
 * @param created when it was prepared (committed snapshots: when committed); nullable
 * @param updated when it last changed; nullable
 */
public record SnapshotInfo(
    String name,
    String parent,
    Kind kind,
    Map<String, String> labels,
    Instant created,
    Instant updated) {

  /**
   * Checks the name and kind and copies the labels.
   *
   * @param name the key or committed name
   * @param parent nullable
   * @param kind active, view or committed
   * @param labels nullable; null becomes empty
   * @param created nullable
   * @param updated nullable
   */
  public SnapshotInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
