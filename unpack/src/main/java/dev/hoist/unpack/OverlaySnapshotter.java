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
import dev.hoist.unpack.internal.tar.OverlayFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Snapshotter} on the local filesystem in the style of containerd's {@code overlayfs}
 * snapshotter and docker's {@code overlay2}: every snapshot keeps only its own <em>diff</em> (the
 * overlay upper directory), so preparing a snapshot is O(1) and applying a layer writes only that
 * layer's entries. A runtime mounts an active snapshot with one {@code overlay} mount over its
 * parents' diffs; nothing here mounts anything, so it needs no privileges. Several processes may
 * share one directory. Thread-safe.
 *
 * <p>Layout under the root directory (as {@link LocalSnapshotter}'s, plus {@code work/}):
 *
 * <pre>
 * committed/&lt;id&gt;/info.properties, commit.properties   as the native snapshotter
 * committed/&lt;id&gt;/fs/     the diff of this snapshot over its parent; never changed after the commit
 * committed/&lt;id&gt;/work/   the overlay workdir of the time it was active (empty)
 * active/&lt;id&gt;/fs/, work/   active and view snapshots
 * locks/, trash/
 * </pre>
 *
 * <p>Mounts, as containerd's overlayfs snapshotter reports them: a snapshot without parent is a
 * bind mount of its {@code fs/}; an active snapshot with parents is {@code overlay} with options
 * {@code index=off}, {@code userxattr}, {@code workdir=…/work}, {@code upperdir=…/fs} and {@code
 * lowerdir=} the parents' {@code fs/} directories, nearest first, joined by {@code :}; a view of a
 * single-layer chain is a read-only bind mount of that layer's {@code fs/}, a view of a longer
 * chain an overlay with {@code lowerdir} only (read-only). The kernel limits mount options to one
 * page (4096 bytes), which bounds the chain length at roughly 4096 / (length of a lowerdir path).
 *
 * <p>Diff format: the kernel's overlay format, rootless flavour (hence {@code userxattr}), which
 * docker's overlay2 writes too: a deleted name is a whiteout, a character device 0/0 (creating one
 * needs Linux 5.8 or later without root); an opaque directory (whose lower contents are hidden) has
 * the extended attribute {@code user.overlay.opaque=y}. {@link TarLayerApplier} writes this format
 * when handed an {@code overlay} mount; {@link #export} merges the diffs into a plain tree.
 *
 * <p>Commit, locks, transient snapshots, crash clean-up and removal behave exactly as {@link
 * LocalSnapshotter}'s (both share that machinery). {@link #usage} counts the snapshot's own diff.
 */
public final class OverlaySnapshotter extends DirectorySnapshotter {

  /** The name in labels: {@code containerd.io/gc.ref.snapshot.overlayfs}. */
  public static final String NAME = "overlayfs";

  private static final String WORK = "work";

  private OverlaySnapshotter(SnapshotDirs dirs) {
    super(dirs);
  }

  /**
   * Opens (creating when absent) the snapshotter in {@code root}, and removes what crashed
   * processes left: half-deleted snapshots and unheld transient active snapshots.
   *
   * @param root the snapshotter's directory, e.g. {@code <store>/snapshots/overlayfs}
   * @return the snapshotter
   * @throws IOException when the directory cannot be created or read
   * @throws InvalidArgumentException when its path holds {@code ,} or {@code :}, which overlay
   *     mount options cannot carry
   */
  public static OverlaySnapshotter open(Path root) throws IOException {
    String abs = root.toAbsolutePath().normalize().toString();
    if (abs.contains(",") || abs.contains(":")) {
      // Both separate overlay mount options; the kernel offers no escape for them.
      throw new InvalidArgumentException(
          "overlay snapshotter directory " + abs + ": must not contain ',' or ':'");
    }
    return new OverlaySnapshotter(SnapshotDirs.open(root));
  }

  /**
   * Why overlay diffs cannot be written on the filesystem of {@code dir}, or empty when they can:
   * it must hold character devices 0/0 (whiteouts) and {@code user.*} extended attributes (opaque
   * directories). Checks by making both in a probe directory under {@code dir}, which it removes.
   * Use it to fall back to {@link LocalSnapshotter} where overlay diffs cannot live, as {@code
   * hoist pull} does for a new store (probing {@code <store>/snapshots}).
   *
   * @param dir a directory on the filesystem to check (created when absent)
   * @return the reason, one line, or empty
   */
  public static Optional<String> unsupportedIn(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return Optional.of("cannot create " + dir + ": " + e.getMessage());
    }
    return Optional.ofNullable(OverlayFiles.unsupportedIn(dir));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Mount> prepare(String key, String parent, Map<String, String> labels)
      throws IOException {
    return mountsOf(dirs.create(key, parent, labels, Kind.ACTIVE, List.of(FS, WORK)).snapshot());
  }

  /**
   * Prepares {@code key} on {@code parent} before {@code parentKey} is committed as {@code parent}
   * (see {@link Snapshotter#prepareOnPending}): an overlay snapshot holds only its own diff, so its
   * parents are needed only when its lower directories are read. The mounts name {@code parent}'s
   * diff where the commit will put it, {@code committed/<id>/fs}, which does not exist until then.
   */
  @Override
  public List<Mount> prepareOnPending(
      String key, String parent, String parentKey, Map<String, String> labels) throws IOException {
    SnapshotDirs.Created c =
        dirs.createOnPending(key, parent, parentKey, labels, List.of(FS, WORK));
    List<Path> lowers = new ArrayList<>();
    lowers.add(dirs.committedDir(parent).resolve(FS));
    if (c.parent() != null) {
      lowers.addAll(diffs(c.parent()));
    }
    return overlay(c.snapshot().dir(), lowers, false);
  }

  /** True: see {@link #prepareOnPending}. */
  @Override
  public boolean preparesOnPending() {
    return true;
  }

  @Override
  public List<Mount> view(String key, String parent, Map<String, String> labels)
      throws IOException {
    return mountsOf(dirs.create(key, parent, labels, Kind.VIEW, List.of(FS, WORK)).snapshot());
  }

  /**
   * Writes the merged tree of the committed snapshot {@code name} (its diff over its parents'
   * diffs, what an overlay mount of the chain shows) into {@code target}, which must be absent or
   * an empty directory: whiteouts delete, opaque directories are emptied first, files are copied
   * (hardlinks inside one diff kept as hardlinks), directory metadata set after their contents. No
   * whiteout or overlay xattr is written into {@code target}.
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
    List<Path> chain = diffs(dirs.findCommitted(name));
    SnapshotDirs.prepareTarget(target);
    Collections.reverse(chain);
    for (Path diff : chain) {
      TreeCopy.merge(diff, target);
    }
  }

  /** The diffs of {@code f} and its ancestors, {@code f}'s first. */
  private List<Path> diffs(Found f) throws IOException {
    List<Path> chain = new ArrayList<>();
    chain.add(f.dir().resolve(FS));
    String parent = f.info().parent();
    while (parent != null) {
      Found p = dirs.find(parent);
      chain.add(p.dir().resolve(FS));
      parent = p.info().parent();
    }
    return chain;
  }

  @Override
  List<Mount> mountsOf(Found f) throws IOException {
    boolean view = f.info().kind() == Kind.VIEW;
    Path fs = f.dir().resolve(FS);
    if (f.info().parent() == null) {
      return List.of(Mount.bind(fs.toString(), view));
    }
    List<Path> lowers = diffs(f);
    lowers.remove(0);
    if (view && lowers.size() == 1) {
      return List.of(Mount.bind(lowers.get(0).toString(), true));
    }
    return overlay(f.dir(), lowers, view);
  }

  /** The overlay mount of the snapshot in {@code dir} over {@code lowers}, nearest first. */
  private static List<Mount> overlay(Path dir, List<Path> lowers, boolean view) {
    List<String> options = new ArrayList<>();
    options.add("index=off");
    options.add("userxattr");
    if (view) {
      options.add("ro");
    } else {
      options.add("workdir=" + dir.resolve(WORK));
      options.add("upperdir=" + dir.resolve(FS));
    }
    options.add("lowerdir=" + String.join(":", lowers.stream().map(Path::toString).toList()));
    return List.of(new Mount("overlay", "overlay", options));
  }
}
