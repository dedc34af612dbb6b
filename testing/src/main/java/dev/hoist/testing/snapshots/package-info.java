/** The snapshotter contract: {@link dev.hoist.testing.snapshots.SnapshotterContract}. */
package dev.hoist.testing.snapshots;
