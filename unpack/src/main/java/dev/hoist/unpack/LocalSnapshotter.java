package dev.hoist.unpack;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.SnapshotLabels;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.snapshots.Usage;
import dev.hoist.unpack.internal.FileMutex;
import dev.hoist.unpack.internal.SnapshotMeta;
import dev.hoist.unpack.internal.TreeCopy;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * an unpack prepared (label {@link SnapshotLabels#TRANSIENT}) is held by its process through a lock
 * on {@code hold-<id>.lock}; {@link #open} removes those no live process holds (a killed unpack's),
 * so a rerun starts clean. Such a snapshot starts as hard links to its parent's files rather than
 * copies (an {@link dev.hoist.diff.Applier} never changes a file in place); any other prepared
 * snapshot starts as a full copy. File contents are not fsynced one by one (containerd's native
 * snapshotter does not either): a power cut may lose recently written file data, a process crash
 * never does.
 */
public final class LocalSnapshotter implements Snapshotter {

  /** The name in labels: {@code containerd.io/gc.ref.snapshot.native}. */
  public static final String NAME = "native";

  private static final Logger log = LoggerFactory.getLogger(LocalSnapshotter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String INFO = "info.properties";
  private static final String COMMIT = "commit.properties";
  private static final String FS = "fs";

  private final Path root;
  private final Path active;
  private final Path committed;
  private final Path locks;
  private final Path trash;
  private final Clock clock;
  private final Map<String, Closeable> holds = new ConcurrentHashMap<>();

  private LocalSnapshotter(Path root, Clock clock) {
    this.root = root;
    this.active = root.resolve("active");
    this.committed = root.resolve("committed");
    this.locks = root.resolve("locks");
    this.trash = root.resolve("trash");
    this.clock = clock;
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
    LocalSnapshotter s = new LocalSnapshotter(root.toAbsolutePath().normalize(), Clock.systemUTC());
    for (Path dir : List.of(s.active, s.committed, s.locks, s.trash)) {
      Files.createDirectories(dir);
    }
    s.cleanup();
    return s;
  }

  /**
   * The directory this snapshotter keeps its snapshots in.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SnapshotInfo stat(String key) throws IOException {
    return find(key).info;
  }

  @Override
  public List<Mount> mounts(String key) throws IOException {
    Found f = find(key);
    if (f.info.kind() == Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": committed snapshots have no mounts");
    }
    return mountsOf(f);
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
    String id = id(key);
    Path dir = active.resolve(id);
    Path parentFs;
    try (Closeable meta = metadataLock()) {
      if (Files.exists(dir) || Files.exists(committed.resolve(id))) {
        throw new AlreadyExistsException("snapshot " + key + ": already exists");
      }
      if (parent != null) {
        Found p = find(parent);
        if (p.info.kind() != Kind.COMMITTED) {
          throw new InvalidArgumentException(
              "snapshot " + key + ": parent " + parent + " is not committed");
        }
        parentFs = p.dir.resolve(FS);
      } else {
        parentFs = null;
      }
      Path staging = trash.resolve("new-" + random());
      Files.createDirectories(staging.resolve(FS));
      Instant now = clock.instant();
      SnapshotMeta.write(
          staging.resolve(INFO), new SnapshotInfo(key, parent, kind, labels, now, now));
      if (labels != null && labels.containsKey(SnapshotLabels.TRANSIENT)) {
        Closeable hold = FileMutex.tryLock(locks.resolve("hold-" + id + ".lock"));
        if (hold != null) {
          holds.put(id, hold);
        }
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(active);
    }
    try {
      if (parentFs != null) {
        // Containerd's native snapshotter copies the parent tree: O(size of the lower layers) per
        // layer, but the snapshot is a plain directory any runtime can bind-mount. An unpack's
        // snapshot is written only by the applier, which never changes a file in place, so it
        // shares the parent's files by hard links instead: O(number of files).
        Path fs = dir.resolve(FS);
        if (labels != null && labels.containsKey(SnapshotLabels.TRANSIENT)) {
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
    return mountsOf(new Found(dir, find(key).info));
  }

  @Override
  public void commit(String name, String key, Map<String, String> labels) throws IOException {
    String nameId = id(name);
    try (Closeable meta = metadataLock()) {
      Found f = find(key);
      if (f.info.kind() != Kind.ACTIVE) {
        throw new FailedPreconditionException(
            "snapshot " + key + ": is " + f.info.kind() + ", not active");
      }
      Path target = committed.resolve(nameId);
      if (Files.exists(target) || Files.exists(active.resolve(nameId))) {
        throw new AlreadyExistsException("snapshot " + name + ": already exists");
      }
      Map<String, String> merged = new HashMap<>(f.info.labels());
      merged.remove(SnapshotLabels.TRANSIENT);
      if (labels != null) {
        merged.putAll(labels);
      }
      Instant now = clock.instant();
      SnapshotMeta.write(
          f.dir.resolve(COMMIT),
          new SnapshotInfo(name, f.info.parent(), Kind.COMMITTED, merged, now, now));
      try {
        Files.move(f.dir, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        Files.deleteIfExists(f.dir.resolve(COMMIT));
        throw new AlreadyExistsException("snapshot " + name + ": already exists", e);
      }
      syncDirectory(committed);
      syncDirectory(active);
      release(id(key));
    }
  }

  @Override
  public void remove(String key) throws IOException {
    try (Closeable meta = metadataLock()) {
      Found f = find(key);
      List<SnapshotInfo> all = new ArrayList<>();
      walkUnlocked(all::add);
      for (SnapshotInfo s : all) {
        if (key.equals(s.parent())) {
          throw new FailedPreconditionException(
              "snapshot " + key + ": has children (" + s.name() + ")");
        }
      }
      Path doomed = trash.resolve("rm-" + random());
      Files.move(f.dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(f.dir.getParent());
      release(f.dir.getFileName().toString());
      TreeCopy.delete(doomed);
    }
  }

  @Override
  public void walk(Consumer<SnapshotInfo> visitor) throws IOException {
    List<SnapshotInfo> all = new ArrayList<>();
    walkUnlocked(all::add);
    all.forEach(visitor);
  }

  private void walkUnlocked(Consumer<SnapshotInfo> visitor) throws IOException {
    for (Path parent : List.of(committed, active)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent)) {
        for (Path dir : dirs) {
          SnapshotInfo info = read(dir);
          if (info != null) {
            visitor.accept(info);
          }
        }
      }
    }
  }

  @Override
  public Usage usage(String key) throws IOException {
    Found f = find(key);
    long[] u = TreeCopy.usage(f.dir.resolve(FS));
    return new Usage(u[0], u[1]);
  }

  @Override
  public Closeable lock(String name) throws IOException {
    return FileMutex.lock(locks.resolve("name-" + id(name) + ".lock"));
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
  public void export(String name, Path target) throws IOException {
    Found f = find(name);
    if (f.info.kind() != Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + name + ": is " + f.info.kind() + ", not committed");
    }
    prepareTarget(target);
    TreeCopy.copy(f.dir.resolve(FS), target);
  }

  /**
   * Makes {@code target} an empty directory, refusing one with content.
   *
   * @param target absent or an empty directory
   * @throws IOException when it cannot be created
   * @throws InvalidArgumentException when it is not a directory or not empty
   */
  static void prepareTarget(Path target) throws IOException {
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException(target + ": not a directory");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
        if (entries.iterator().hasNext()) {
          throw new InvalidArgumentException(target + ": directory is not empty");
        }
      }
    } else {
      Files.createDirectories(target);
    }
  }

  /** Removes half-deleted snapshots and transient active ones no process holds. */
  private void cleanup() throws IOException {
    try (Closeable meta = metadataLock()) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(trash)) {
        for (Path dir : dirs) {
          TreeCopy.delete(dir);
        }
      }
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(active)) {
        for (Path dir : dirs) {
          SnapshotInfo info = read(dir);
          if (info != null && !info.labels().containsKey(SnapshotLabels.TRANSIENT)) {
            continue;
          }
          String id = dir.getFileName().toString();
          Path holdFile = locks.resolve("hold-" + id + ".lock");
          try (Closeable free = FileMutex.tryLock(holdFile)) {
            if (free == null) {
              continue; // a live process is applying into it
            }
            log.info(
                "removing stale active snapshot {} left by an interrupted unpack",
                info == null ? id : info.name());
            Path doomed = trash.resolve("rm-" + random());
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            TreeCopy.delete(doomed);
          }
          Files.deleteIfExists(holdFile);
        }
      }
    }
  }

  private record Found(Path dir, SnapshotInfo info) {}

  private Found find(String key) throws IOException {
    String id = id(key);
    for (Path parent : List.of(committed, active)) {
      Path dir = parent.resolve(id);
      SnapshotInfo info = read(dir);
      if (info != null && info.name().equals(key)) {
        return new Found(dir, info);
      }
    }
    throw new NotFoundException("snapshot " + key + ": not found");
  }

  /** The info in {@code dir}, or null when it has none (being created or removed). */
  private static SnapshotInfo read(Path dir) throws IOException {
    try {
      Path commit = dir.resolve(COMMIT);
      if (dir.getParent().getFileName().toString().equals("committed")) {
        SnapshotInfo done = SnapshotMeta.read(commit);
        SnapshotInfo prepared = SnapshotMeta.read(dir.resolve(INFO));
        return new SnapshotInfo(
            done.name(),
            done.parent(),
            Kind.COMMITTED,
            done.labels(),
            prepared.created(),
            done.updated());
      }
      return SnapshotMeta.read(dir.resolve(INFO));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static List<Mount> mountsOf(Found f) {
    return List.of(Mount.bind(f.dir.resolve(FS).toString(), f.info.kind() == Kind.VIEW));
  }

  private Closeable metadataLock() throws IOException {
    return FileMutex.lock(locks.resolve("metadata.lock"));
  }

  private void release(String id) throws IOException {
    Closeable hold = holds.remove(id);
    if (hold != null) {
      hold.close();
      Files.deleteIfExists(locks.resolve("hold-" + id + ".lock"));
    }
  }

  /** Drops this instance's holds as a process death would; for tests of the cleanup. */
  void releaseHolds() throws IOException {
    for (String id : List.copyOf(holds.keySet())) {
      Closeable hold = holds.remove(id);
      if (hold != null) {
        hold.close();
      }
    }
  }

  /** The directory name of {@code key}: never a path, never {@code .} or {@code ..}. */
  static String id(String key) {
    if (Objects.requireNonNull(key, "key").isEmpty()) {
      throw new InvalidArgumentException("snapshot key must not be empty");
    }
    if (Digest.isValid(key)) {
      Digest d = Digest.parse(key);
      return d.algorithm() + "-" + d.encoded();
    }
    return "k-" + Digest.sha256(key).encoded();
  }

  private static String random() {
    return Long.toUnsignedString(RANDOM.nextLong(), 36);
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileSystemException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }
}
