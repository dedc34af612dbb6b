package dev.hoist.cli;

import dev.hoist.client.Client;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.unpack.LocalSnapshotter;
import dev.hoist.unpack.SkipCounts;
import dev.hoist.unpack.TarLayerApplier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The unpack parts of a store: snapshots in {@code <store>/snapshots/native}, the tar applier. */
final class Unpacking implements AutoCloseable {

  final LocalContentStore store;
  final LocalSnapshotter snapshots;
  final TarLayerApplier applier;
  final Client client;

  private Unpacking(Path storeDir) throws IOException {
    this.store = LocalContentStore.open(storeDir);
    this.snapshots = LocalSnapshotter.open(snapshotsDir(storeDir));
    this.applier = TarLayerApplier.create();
    this.client =
        Client.builder().contentStore(store).snapshotter(snapshots).applier(applier).build();
  }

  static Unpacking open(Path storeDir) throws IOException {
    return new Unpacking(storeDir);
  }

  /** Where a store's snapshots live. */
  static Path snapshotsDir(Path storeDir) {
    return storeDir.resolve("snapshots").resolve(LocalSnapshotter.NAME);
  }

  /**
   * Prints what the applier skipped (owners, devices without root), if anything, to {@code err}.
   */
  void reportSkipped(PrintWriter err) {
    SkipCounts skipped = applier.skipped();
    if (skipped.total() > 0) {
      err.println("hoist: warning: skipped " + skipped.summary());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
