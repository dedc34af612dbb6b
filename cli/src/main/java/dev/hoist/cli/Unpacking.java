package dev.hoist.cli;

import dev.hoist.client.Client;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.unpack.SkipCounts;
import dev.hoist.unpack.TarLayerApplier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The unpack parts of a store: snapshots in {@code <store>/snapshots/<name>} (see {@link
 * SnapshotterOption}), the tar applier.
 */
final class Unpacking implements AutoCloseable {

  final LocalContentStore store;
  final Snapshotter snapshots;
  final TarLayerApplier applier;
  final Client client;

  private Unpacking(LocalContentStore store, Path storeDir, String snapshotter) throws IOException {
    this.store = store;
    this.snapshots = SnapshotterOption.open(storeDir, snapshotter);
    this.applier = TarLayerApplier.create();
    this.client =
        Client.builder().contentStore(store).snapshotter(snapshots).applier(applier).build();
  }

  /** The store of {@code args} with the snapshotter they choose. */
  static Unpacking open(Args args) throws IOException, Args.UsageException {
    Path storeDir = StoreOption.resolve(args);
    SnapshotterOption.given(args); // a usage error before anything is created
    // The store first: the default snapshotter of a new store depends on its filesystem.
    LocalContentStore store = LocalContentStore.open(storeDir);
    return new Unpacking(store, storeDir, SnapshotterOption.name(args, storeDir));
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
