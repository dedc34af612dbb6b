package dev.hoist.testing.snapshots;

import dev.hoist.snapshots.InMemorySnapshotter;
import dev.hoist.snapshots.Snapshotter;
import java.nio.file.Path;

/** Runs the snapshotter contract against core's {@link InMemorySnapshotter}. */
class InMemorySnapshotterTest implements SnapshotterContract {
  @Override
  public Snapshotter newSnapshotter(Path root) {
    return new InMemorySnapshotter();
  }
}
