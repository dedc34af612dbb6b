package dev.hoist.cli;

import dev.hoist.snapshots.Snapshotter;
import dev.hoist.unpack.LocalSnapshotter;
import dev.hoist.unpack.OverlaySnapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --snapshotter overlayfs|native}: where a store's snapshots live ({@code
 * <store>/snapshots/<name>}). The default is {@code overlayfs} (containerd's default), except for a
 * store that already has native snapshots, so an existing store keeps using (and reusing) them, and
 * for a new store whose filesystem cannot hold overlay diffs (see {@link
 * OverlaySnapshotter#unsupportedIn}).
 */
final class SnapshotterOption {

  /** The names, default-candidate first. */
  static final List<String> NAMES = List.of(OverlaySnapshotter.NAME, LocalSnapshotter.NAME);

  static final Args.Option SNAPSHOTTER =
      Args.Option.value(
          "--snapshotter",
          "NAME",
          "overlayfs (one diff per layer; the default) or native (a full tree per layer). A store"
              + " that already has snapshots/native keeps native unless told otherwise, so its"
              + " snapshots are not stranded; a new store on a filesystem without user xattrs or"
              + " overlay whiteouts gets native.");

  private SnapshotterOption() {}

  /** The snapshotter name {@code args} choose for {@code storeDir}. */
  static String name(Args args, Path storeDir) throws Args.UsageException {
    String given = given(args);
    if (given != null) {
      return given;
    }
    if (Files.isDirectory(dir(storeDir, LocalSnapshotter.NAME))) {
      return LocalSnapshotter.NAME;
    }
    Path overlay = dir(storeDir, OverlaySnapshotter.NAME);
    if (Files.isDirectory(overlay) || !Files.isDirectory(storeDir)) {
      return OverlaySnapshotter.NAME;
    }
    // A new store on a filesystem that cannot hold overlay diffs (no user xattrs, or no 0/0
    // whiteouts on an old kernel) gets native snapshots rather than failing at the first whiteout.
    return OverlaySnapshotter.unsupportedIn(overlay.getParent()).isPresent()
        ? LocalSnapshotter.NAME
        : OverlaySnapshotter.NAME;
  }

  /** The {@code --snapshotter} given, checked; null when none is. */
  static String given(Args args) throws Args.UsageException {
    String given = args.value(SNAPSHOTTER.name(), null);
    if (given != null && !NAMES.contains(given)) {
      throw new Args.UsageException(
          "--snapshotter must be overlayfs or native, got '" + given + "'");
    }
    return given;
  }

  /** Where the store's snapshots of {@code name} live. */
  static Path dir(Path storeDir, String name) {
    return storeDir.resolve("snapshots").resolve(name);
  }

  /** Opens the snapshotter {@code name} of {@code storeDir}. */
  static Snapshotter open(Path storeDir, String name) throws IOException {
    Path dir = dir(storeDir, name);
    return LocalSnapshotter.NAME.equals(name)
        ? LocalSnapshotter.open(dir)
        : OverlaySnapshotter.open(dir);
  }
}
