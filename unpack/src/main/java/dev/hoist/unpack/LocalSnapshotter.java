package dev.hoist.unpack;

import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.unpack.internal.SnapshotDirs;
import dev.hoist.unpack.internal.SnapshotDirs.Found;
import dev.hoist.unpack.internal.TreeCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link Snapshotter} on the local filesystem in the style of containerd's {@code native}
 * snapshotter: every snapshot is a complete directory tree, an active snapshot starting as a copy
 * of its parent, so a runtime mounts it with one bind mount ({@link Mount#bind}) and needs no
 * overlayfs or privileges. Several processes may share one directory. Thread-safe.
 *
 * <p>Layout under the root directory:
 *
 * <pre>
 * committed/&lt;id&gt;/info.properties   key, parent, labels, created (from prepare)
 * committed/&lt;id&gt;/commit.properties committed name, labels, time (written before the rename)
 * committed/&lt;id&gt;/fs/        the tree; never changed after the commit
 * active/&lt;id&gt;/info.properties   active and view snapshots
 * active/&lt;id&gt;/fs/
 * locks/                      lock files: metadata.lock, name-&lt;id&gt;.lock, hold-&lt;id&gt;.lock
 * trash/                      snapshots being deleted
 * </pre>
 *
 * where {@code <id>} is {@code sha256-<hex>} for a key or name that is a digest (chain IDs) and
 * {@code k-<sha256 of the key>} otherwise, so no key can name a path outside the root.
 *
 * <p>A commit writes {@code commit.properties}, fsyncs it, renames {@code active/<id>} to {@code
 * committed/<id>} (atomic, refused when the name exists) and fsyncs {@code committed/}: a reader,
 * or a process killed at any point, sees the whole snapshot or none of it. An active snapshot that
 * an unpack prepared (label {@link dev.hoist.snapshots.SnapshotLabels#TRANSIENT}) is held by its
 * process through a lock on {@code hold-<id>.lock}; {@link #open} removes those no live process
 * holds (a killed unpack's), so a rerun starts clean. Such a snapshot starts as hard links to its
 * parent's files rather than copies (an {@link dev.hoist.diff.Applier} never changes a file in
 * place); any other prepared snapshot starts as a full copy. File contents are not fsynced one by
 * one (containerd's native snapshotter does not either): a power cut may lose recently written file
 * data, a process crash never does.
 */
public final class LocalSnapshotter extends DirectorySnapshotter {

  /** The name in labels: {@code containerd.io/gc.ref.snapshot.native}. */
  public static final String NAME = "native";

  private LocalSnapshotter(SnapshotDirs dirs) {
    super(dirs);
  }

  /**
   * Opens (creating when absent) the snapshotter in {@code root}, and removes what crashed
   * processes left: half-deleted snapshots and unheld transient active snapshots.
   *
   * @param root the snapshotter's directory, e.g. {@code <store>/snapshots/native}
   * @return the snapshotter
   * @throws IOException when the directory cannot be created or read
   */
  public static LocalSnapshotter open(Path root) throws IOException {
    return new LocalSnapshotter(SnapshotDirs.open(root));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Mount> prepare(String key, String parent, Map<String, String> labels)
      throws IOException {
    return create(key, parent, labels, Kind.ACTIVE);
  }

  @Override
  public List<Mount> view(String key, String parent, Map<String, String> labels)
      throws IOException {
    return create(key, parent, labels, Kind.VIEW);
  }

  private List<Mount> create(String key, String parent, Map<String, String> labels, Kind kind)
      throws IOException {
    SnapshotDirs.Created made = dirs.create(key, parent, labels, kind, List.of(FS));
    Found f = made.snapshot();
    try {
      if (made.parent() != null) {
        // Containerd's native snapshotter copies the parent tree: O(size of the lower layers) per
        // layer, but the snapshot is a plain directory any runtime can bind-mount. An unpack's
        // snapshot is written only by the applier, which never changes a file in place, so it
        // shares the parent's files by hard links instead: O(number of files).
        Path parentFs = made.parent().dir().resolve(FS);
        Path fs = f.dir().resolve(FS);
        if (SnapshotDirs.isTransient(labels)) {
          TreeCopy.share(parentFs, fs);
        } else {
          TreeCopy.copy(parentFs, fs);
        }
      }
    } catch (IOException | RuntimeException e) {
      try {
        remove(key);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return mountsOf(f);
  }

  /**
   * Writes the tree of the committed snapshot {@code name} into {@code target}, which must be
   * absent or an empty directory: a plain copy (hardlinks inside the tree kept, modes, mtimes,
   * symlinks; owners when root), sharing no inode with the snapshot but device nodes and fifos.
   *
   * @param name a committed snapshot, e.g. an image's top chain ID
   * @param target where the root filesystem goes
   * @throws IOException when copying fails
   * @throws NotFoundException when there is no such snapshot
   * @throws FailedPreconditionException when {@code name} is not committed
   * @throws InvalidArgumentException when {@code target} is a non-empty directory or not a
   *     directory
   */
  @Override
  public void export(String name, Path target) throws IOException {
    Found f = dirs.findCommitted(name);
    SnapshotDirs.prepareTarget(target);
    TreeCopy.copy(f.dir().resolve(FS), target);
  }

  @Override
  List<Mount> mountsOf(Found f) {
    return List.of(Mount.bind(f.dir().resolve(FS).toString(), f.info().kind() == Kind.VIEW));
  }
}
