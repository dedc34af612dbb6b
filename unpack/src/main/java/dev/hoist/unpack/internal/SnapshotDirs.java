package dev.hoist.unpack.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.SnapshotLabels;
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
 * The bookkeeping every file-based snapshotter shares (native and overlay): one directory per
 * snapshot under {@code active/} or {@code committed/}, named by {@link #id}, holding {@code
 * info.properties} (and {@code commit.properties} once committed) next to the snapshotter's own
 * subdirectories ({@code fs/}, and {@code work/} for overlay). Creation goes through a staging
 * directory in {@code trash/} and one rename; a commit writes {@code commit.properties} then
 * renames {@code active/<id>} to {@code committed/<id>}; a removal renames into {@code trash/}
 * first. All of that under {@code locks/metadata.lock}, so several processes may share the
 * directory. Transient active snapshots (an unpack's) are held by a lock file of their process, and
 * the ones no live process holds are removed on {@link #open}. Thread-safe.
 */
public final class SnapshotDirs {

  /** A snapshot's directory and metadata. */
  public record Found(Path dir, SnapshotInfo info) {}

  /**
   * A snapshot {@link #create} made, and its parent.
   *
   * @param snapshot the new snapshot
   * @param parent its committed parent, or null
   */
  public record Created(Found snapshot, Found parent) {}

  private static final Logger log = LoggerFactory.getLogger(SnapshotDirs.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String INFO = "info.properties";
  private static final String COMMIT = "commit.properties";

  private final Path root;
  private final Path active;
  private final Path committed;
  private final Path locks;
  private final Path trash;
  private final Clock clock;
  private final Map<String, Closeable> holds = new ConcurrentHashMap<>();

  private SnapshotDirs(Path root, Clock clock) {
    this.root = root;
    this.active = root.resolve("active");
    this.committed = root.resolve("committed");
    this.locks = root.resolve("locks");
    this.trash = root.resolve("trash");
    this.clock = clock;
  }

  /**
   * Opens (creating when absent) the snapshot directories under {@code root} and removes what
   * crashed processes left: half-deleted snapshots and unheld transient active snapshots.
   *
   * @param root the snapshotter's directory
   * @return the directories
   * @throws IOException when the directory cannot be created or read
   */
  public static SnapshotDirs open(Path root) throws IOException {
    SnapshotDirs s = new SnapshotDirs(root.toAbsolutePath().normalize(), Clock.systemUTC());
    for (Path dir : List.of(s.active, s.committed, s.locks, s.trash)) {
      Files.createDirectories(dir);
    }
    s.cleanup();
    return s;
  }

  /** {@return the snapshotter's directory} */
  public Path root() {
    return root;
  }

  /**
   * Creates the active or view snapshot {@code key} with the (empty) subdirectories {@code
   * subdirs}, published by one rename. A transient one (label {@link SnapshotLabels#TRANSIENT}) is
   * held by this process until committed or removed.
   *
   * @param key the new key
   * @param parent a committed name, or null
   * @param labels its labels; nullable
   * @param kind active or view
   * @param subdirs directories to create in it, e.g. {@code fs}
   * @return the new snapshot and its parent
   * @throws IOException when the storage fails
   * @throws AlreadyExistsException when {@code key} exists
   * @throws NotFoundException when {@code parent} does not exist
   * @throws InvalidArgumentException when {@code parent} is not committed
   */
  public Created create(
      String key, String parent, Map<String, String> labels, Kind kind, List<String> subdirs)
      throws IOException {
    return create(key, parent, null, labels, kind, subdirs);
  }

  /**
   * Creates the active snapshot {@code key} on {@code parent}, the name the active snapshot {@code
   * parentKey} will be committed as; see {@link dev.hoist.snapshots.Snapshotter#prepareOnPending}.
   * {@link #commit} of {@code key} fails until {@code parent} is committed.
   *
   * @param key the new key
   * @param parent the name {@code parentKey} will have
   * @param parentKey an active snapshot whose parent is committed or null
   * @param labels its labels; nullable
   * @param subdirs directories to create in it
   * @return the new snapshot, and as its "parent" {@code parentKey}'s committed parent, or null
   * @throws IOException when the storage fails
   * @throws AlreadyExistsException when {@code key} exists
   * @throws NotFoundException when {@code parentKey} does not exist
   * @throws FailedPreconditionException when {@code parentKey} is not active, or its parent is not
   *     committed
   */
  public Created createOnPending(
      String key, String parent, String parentKey, Map<String, String> labels, List<String> subdirs)
      throws IOException {
    Objects.requireNonNull(parent, "parent");
    return create(
        key, parent, Objects.requireNonNull(parentKey, "parentKey"), labels, Kind.ACTIVE, subdirs);
  }

  private Created create(
      String key,
      String parent,
      String pendingKey,
      Map<String, String> labels,
      Kind kind,
      List<String> subdirs)
      throws IOException {
    String id = id(key);
    Path dir = active.resolve(id);
    Found p = null;
    try (Closeable meta = metadataLock()) {
      if (Files.exists(dir) || Files.exists(committed.resolve(id))) {
        throw new AlreadyExistsException("snapshot " + key + ": already exists");
      }
      if (pendingKey != null) {
        Found pending = find(pendingKey);
        if (pending.info.kind() != Kind.ACTIVE) {
          throw new FailedPreconditionException(
              "snapshot " + key + ": pending parent " + pendingKey + " is not active");
        }
        String grandparent = pending.info.parent();
        if (grandparent != null) {
          if (!isCommitted(grandparent)) {
            throw new FailedPreconditionException(
                "snapshot " + key + ": the parent of " + pendingKey + " is not committed");
          }
          p = find(grandparent);
        }
      } else if (parent != null) {
        p = find(parent);
        if (p.info.kind() != Kind.COMMITTED) {
          throw new InvalidArgumentException(
              "snapshot " + key + ": parent " + parent + " is not committed");
        }
      }
      Path staging = trash.resolve("new-" + random());
      Files.createDirectories(staging);
      for (String sub : subdirs) {
        Files.createDirectory(staging.resolve(sub));
      }
      Instant now = clock.instant();
      SnapshotMeta.write(
          staging.resolve(INFO), new SnapshotInfo(key, parent, kind, labels, now, now));
      if (isTransient(labels)) {
        Closeable hold = FileMutex.tryLock(locks.resolve("hold-" + id + ".lock"));
        if (hold != null) {
          holds.put(id, hold);
        }
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(active);
    }
    return new Created(new Found(dir, find(key).info), p);
  }

  /**
   * Whether {@code labels} mark a snapshot an unpack prepared.
   *
   * @param labels nullable
   * @return true when transient
   */
  public static boolean isTransient(Map<String, String> labels) {
    return labels != null && labels.containsKey(SnapshotLabels.TRANSIENT);
  }

  /**
   * Commits the active snapshot {@code key} as {@code name}; see {@link
   * dev.hoist.snapshots.Snapshotter#commit}.
   *
   * @param name the committed name
   * @param key an active key
   * @param labels labels that win over the active snapshot's; nullable
   * @throws IOException when the storage fails
   */
  public void commit(String name, String key, Map<String, String> labels) throws IOException {
    String nameId = id(name);
    try (Closeable meta = metadataLock()) {
      Found f = find(key);
      if (f.info.kind() != Kind.ACTIVE) {
        throw new FailedPreconditionException(
            "snapshot " + key + ": is " + f.info.kind() + ", not active");
      }
      if (f.info.parent() != null && !isCommitted(f.info.parent())) {
        throw new FailedPreconditionException(
            "snapshot " + key + ": its parent " + f.info.parent() + " is not committed");
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

  /**
   * Removes a snapshot that no other has as parent; see {@link
   * dev.hoist.snapshots.Snapshotter#remove}.
   *
   * @param key any key or name
   * @throws IOException when the storage fails
   */
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

  /**
   * Calls {@code visitor} for every snapshot.
   *
   * @param visitor receives each snapshot's info
   * @throws IOException when the storage fails
   */
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

  /**
   * The exclusive lock on the name {@code name}; see {@link dev.hoist.snapshots.Snapshotter#lock}.
   *
   * @param name any name
   * @return closing it releases the lock
   * @throws IOException when the lock cannot be taken
   */
  public Closeable lock(String name) throws IOException {
    return FileMutex.lock(locks.resolve("name-" + id(name) + ".lock"));
  }

  /**
   * The snapshot {@code key}.
   *
   * @param key any key or name
   * @return its directory and info
   * @throws IOException when the storage fails
   * @throws NotFoundException when there is none
   */
  public Found find(String key) throws IOException {
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

  private boolean isCommitted(String name) throws IOException {
    try {
      return find(name).info.kind() == Kind.COMMITTED;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Where the committed snapshot {@code name} is, or will be once committed.
   *
   * @param name a committed name
   * @return its directory
   */
  public Path committedDir(String name) {
    return committed.resolve(id(name));
  }

  /**
   * The committed snapshot {@code name}.
   *
   * @param name a committed name
   * @return its directory and info
   * @throws IOException when the storage fails
   * @throws NotFoundException when there is none
   * @throws FailedPreconditionException when it is not committed
   */
  public Found findCommitted(String name) throws IOException {
    Found f = find(name);
    if (f.info.kind() != Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + name + ": is " + f.info.kind() + ", not committed");
    }
    return f;
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

  /**
   * Drops this instance's holds as a process death would; for tests of the cleanup.
   *
   * @throws IOException when a lock cannot be released
   */
  public void releaseHolds() throws IOException {
    for (String id : List.copyOf(holds.keySet())) {
      Closeable hold = holds.remove(id);
      if (hold != null) {
        hold.close();
      }
    }
  }

  /**
   * The directory name of {@code key}: {@code sha256-<hex>} for a digest (chain IDs), {@code
   * k-<sha256 of the key>} otherwise; never a path, never {@code .} or {@code ..}.
   *
   * @param key a snapshot key or name
   * @return the directory name
   * @throws InvalidArgumentException when {@code key} is empty
   */
  public static String id(String key) {
    if (Objects.requireNonNull(key, "key").isEmpty()) {
      throw new InvalidArgumentException("snapshot key must not be empty");
    }
    if (Digest.isValid(key)) {
      Digest d = Digest.parse(key);
      return d.algorithm() + "-" + d.encoded();
    }
    return "k-" + Digest.sha256(key).encoded();
  }

  /**
   * Makes {@code target} an empty directory, refusing one with content.
   *
   * @param target absent or an empty directory
   * @throws IOException when it cannot be created
   * @throws InvalidArgumentException when it is not a directory or not empty
   */
  public static void prepareTarget(Path target) throws IOException {
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
