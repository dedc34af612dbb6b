package dev.hoist.unpack;

import dev.hoist.snapshots.Snapshotter;
import dev.hoist.testing.snapshots.SnapshotterContract;
import java.io.IOException;
import java.nio.file.Path;

class OverlaySnapshotterContractTest implements SnapshotterContract {
  @Override
  public Snapshotter newSnapshotter(Path root) throws IOException {
    return OverlaySnapshotter.open(root);
  }
}
