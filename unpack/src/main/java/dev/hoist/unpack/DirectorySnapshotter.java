package dev.hoist.unpack;

import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.snapshots.Usage;
import dev.hoist.unpack.internal.SnapshotDirs;
import dev.hoist.unpack.internal.SnapshotDirs.Found;
import dev.hoist.unpack.internal.TreeCopy;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the two local snapshotters share: their snapshots are directories kept by {@link
 * SnapshotDirs} (metadata files, atomic commit by rename, locks, crash clean-up, trash), each with
 * its files under {@code fs/}. They differ in what {@code fs/} holds (a full tree, or a diff) and
 * so in their mounts and in how a committed chain becomes a plain tree ({@link #export}).
 */
abstract sealed class DirectorySnapshotter implements Snapshotter
    permits LocalSnapshotter, OverlaySnapshotter {

  /** The subdirectory of a snapshot holding its files. */
  static final String FS = "fs";

  final SnapshotDirs dirs;

  DirectorySnapshotter(SnapshotDirs dirs) {
    this.dirs = dirs;
  }

  /**
   * The directory this snapshotter keeps its snapshots in.
   *
   * @return the root
   */
  public Path root() {
    return dirs.root();
  }

  @Override
  public SnapshotInfo stat(String key) throws IOException {
    return dirs.find(key).info();
  }

  @Override
  public List<Mount> mounts(String key) throws IOException {
    Found f = dirs.find(key);
    if (f.info().kind() == Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": committed snapshots have no mounts");
    }
    return mountsOf(f);
  }

  /** The mounts of the active or view snapshot {@code f}. */
  abstract List<Mount> mountsOf(Found f) throws IOException;

  @Override
  public void commit(String name, String key, java.util.Map<String, String> labels)
      throws IOException {
    dirs.commit(name, key, labels);
  }

  @Override
  public void remove(String key) throws IOException {
    dirs.remove(key);
  }

  @Override
  public void walk(Consumer<SnapshotInfo> visitor) throws IOException {
    dirs.walk(visitor);
  }

  /** The files under the snapshot's own {@code fs/}: the whole tree, or its diff. */
  @Override
  public Usage usage(String key) throws IOException {
    long[] u = TreeCopy.usage(dirs.find(key).dir().resolve(FS));
    return new Usage(u[0], u[1]);
  }

  @Override
  public Closeable lock(String name) throws IOException {
    return dirs.lock(name);
  }

  /**
   * Writes the tree of the committed snapshot {@code name} into {@code target}, which must be
   * absent or an empty directory.
   *
   * @param name a committed snapshot, e.g. an image's top chain ID
   * @param target where the root filesystem goes
   * @throws IOException when copying fails
   * @throws dev.hoist.errors.NotFoundException when there is no such snapshot
   * @throws FailedPreconditionException when {@code name} is not committed
   * @throws dev.hoist.errors.InvalidArgumentException when {@code target} is a non-empty directory
   *     or not a directory
   */
  public abstract void export(String name, Path target) throws IOException;

  /** Drops this instance's holds as a process death would; for tests of the cleanup. */
  void releaseHolds() throws IOException {
    dirs.releaseHolds();
  }
}
