package dev.hoist.snapshots;

import java.nio.file.Path;

class InMemorySnapshotterTest implements SnapshotterContract {
  @Override
  public Snapshotter newSnapshotter(Path root) {
    return new InMemorySnapshotter();
  }
}
