package dev.hoist.cli;

import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code hoist snapshots ls|rm}: the snapshots in the store, as {@code ctr snapshots}. */
final class SnapshotsCommand {

  private SnapshotsCommand() {}

  /** The snapshotter {@code args} choose (see {@link SnapshotterOption}). */
  static Snapshotter open(Args args) throws java.io.IOException, Args.UsageException {
    Path storeDir = StoreOption.resolve(args);
    return SnapshotterOption.open(storeDir, SnapshotterOption.name(args, storeDir));
  }

  /** {@code hoist snapshots ls}. */
  static final class Ls extends Command {

    Ls() {
      super(
          "snapshots ls",
          "List snapshots: key, parent, kind.",
          List.of(StoreOption.STORE, SnapshotterOption.SNAPSHOTTER));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      args.none();
      Snapshotter s = open(args);
      List<SnapshotInfo> all = new ArrayList<>();
      s.walk(all::add);
      all.sort(Comparator.comparing(SnapshotInfo::name));
      out.printf("%-71s %-71s %s%n", "KEY", "PARENT", "KIND");
      for (SnapshotInfo i : all) {
        out.printf(
            "%-71s %-71s %s%n", i.name(), i.parent() == null ? "" : i.parent(), i.kind().name());
      }
      return 0;
    }
  }

  /** {@code hoist snapshots rm KEY}. */
  static final class Rm extends Command {

    Rm() {
      super(
          "snapshots rm",
          "Remove a snapshot (not one that others have as parent).",
          "KEY",
          "The snapshot's key or name.",
          List.of(StoreOption.STORE, SnapshotterOption.SNAPSHOTTER));
    }

    @Override
    int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
      String key = args.single("KEY (the snapshot)");
      Snapshotter s = open(args);
      s.remove(key);
      out.println(key);
      return 0;
    }
  }
}
