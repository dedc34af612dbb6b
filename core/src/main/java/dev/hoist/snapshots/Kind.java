package dev.hoist.snapshots;

/** The state of a snapshot, as containerd's {@code snapshots.Kind}. */
public enum Kind {
  /** Writable, prepared on a parent; becomes {@link #COMMITTED} by {@link Snapshotter#commit}. */
  ACTIVE,
  /** Read-only, made by {@link Snapshotter#view}; cannot be committed. */
  VIEW,
  /** Immutable; may be the parent of other snapshots. */
  COMMITTED
}
