package dev.hoist.snapshots;

import dev.hoist.errors.NotImplementedException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Named filesystem trees stacked on committed parents, as containerd's {@code
 * snapshots.Snapshotter}. A key names an active or view snapshot; {@link #commit} turns an active
 * snapshot into a committed one under a new name (a pull uses the layer's chain ID). Committed
 * snapshots are immutable and can be parents. Implementations are thread-safe.
 *
 * <p>Differences from containerd: {@code Update} and {@code Cleanup} are left out, and {@link
 * #lock} is added so that unpackers in several threads or processes apply each chain ID once.
 * Errors are containerd's categories: {@link dev.hoist.errors.NotFoundException}, {@link
 * dev.hoist.errors.AlreadyExistsException}, {@link dev.hoist.errors.FailedPreconditionException}
 * and {@link dev.hoist.errors.InvalidArgumentException}.
 */
public interface Snapshotter {

  /**
   * The snapshotter's name, as used in containerd's {@code containerd.io/gc.ref.snapshot.<name>}
   * label, e.g. {@code native}.
   *
   * @return a short name
   */
  String name();

  /**
   * What the snapshotter knows of {@code key}.
   *
   * @param key an active or view key, or a committed name
   * @return its info
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.NotFoundException when there is no such snapshot
   */
  SnapshotInfo stat(String key) throws IOException;

  /**
   * The mounts of an active or view snapshot.
   *
   * @param key an active or view key
   * @return the mounts, in order
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.NotFoundException when there is no such snapshot
   * @throws dev.hoist.errors.FailedPreconditionException when it is committed
   */
  List<Mount> mounts(String key) throws IOException;

  /**
   * Creates a writable snapshot {@code key} whose contents start as {@code parent}'s.
   *
   * @param key the new snapshot's key, not empty
   * @param parent a committed snapshot's name, or null for an empty one
   * @param labels labels of the new snapshot
   * @return its mounts
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.AlreadyExistsException when {@code key} exists
   * @throws dev.hoist.errors.NotFoundException when {@code parent} does not exist
   * @throws dev.hoist.errors.InvalidArgumentException when {@code parent} is not committed
   */
  List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException;

  /**
   * As {@link #prepare}, on a parent that is not committed yet: the active snapshot {@code
   * parentKey}, which the caller will commit as {@code parent}. An unpack uses it to start applying
   * layer <i>i</i>+1 while layer <i>i</i> is still being applied. The mounts returned name the
   * parent's files where they will be once committed: they must not be read, and {@code key} cannot
   * be committed, before {@code parent} is. Only a snapshotter whose active snapshots do not copy
   * their parent's files can do this ({@link #preparesOnPending()}); the default refuses.
   *
   * @param key the new snapshot's key, not empty
   * @param parent the name {@code parentKey} will be committed as
   * @param parentKey an active snapshot whose own parent is committed (or which has none)
   * @param labels labels of the new snapshot
   * @return its mounts
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.NotImplementedException when the snapshotter cannot do this
   * @throws dev.hoist.errors.AlreadyExistsException when {@code key} exists
   * @throws dev.hoist.errors.NotFoundException when there is no snapshot {@code parentKey} (for
   *     example because it was committed meanwhile: use {@link #prepare} then)
   * @throws dev.hoist.errors.FailedPreconditionException when {@code parentKey} is not active or
   *     its parent is not committed
   */
  default List<Mount> prepareOnPending(
      String key, String parent, String parentKey, Map<String, String> labels) throws IOException {
    throw new NotImplementedException(
        "snapshotter " + name() + ": cannot prepare a snapshot on a parent not committed yet");
  }

  /**
   * Whether {@link #prepareOnPending} is supported.
   *
   * @return false unless overridden
   */
  default boolean preparesOnPending() {
    return false;
  }

  /**
   * As {@link #prepare} but read-only; a view cannot be committed.
   *
   * @param key the new snapshot's key, not empty
   * @param parent a committed snapshot's name, or null for an empty one
   * @param labels labels of the new snapshot
   * @return its mounts (read-only)
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.AlreadyExistsException when {@code key} exists
   * @throws dev.hoist.errors.NotFoundException when {@code parent} does not exist
   * @throws dev.hoist.errors.InvalidArgumentException when {@code parent} is not committed
   */
  List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException;

  /**
   * Turns the active snapshot {@code key} into the committed snapshot {@code name}, atomically:
   * another reader sees either no {@code name} or all of it. {@code key} no longer exists after.
   *
   * @param name the committed name, not empty
   * @param key an active snapshot's key
   * @param labels labels of the committed snapshot (the active one's are kept, these win)
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.AlreadyExistsException when {@code name} exists; {@code key} is kept
   * @throws dev.hoist.errors.NotFoundException when there is no snapshot {@code key}
   * @throws dev.hoist.errors.FailedPreconditionException when {@code key} is not active, or its
   *     parent (see {@link #prepareOnPending}) is not committed
   */
  void commit(String name, String key, Map<String, String> labels) throws IOException;

  /**
   * Removes a snapshot and its files.
   *
   * @param key any snapshot's key or name
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.NotFoundException when there is no such snapshot
   * @throws dev.hoist.errors.FailedPreconditionException when other snapshots have it as parent
   */
  void remove(String key) throws IOException;

  /**
   * Calls {@code visitor} for every snapshot, in no particular order.
   *
   * @param visitor receives each snapshot's info
   * @throws IOException when the snapshotter's storage fails
   */
  void walk(Consumer<SnapshotInfo> visitor) throws IOException;

  /**
   * The disk used by one snapshot (its own files, not its parent's in a layered implementation).
   *
   * @param key any snapshot's key or name
   * @return inodes and bytes
   * @throws IOException when the snapshotter's storage fails
   * @throws dev.hoist.errors.NotFoundException when there is no such snapshot
   */
  Usage usage(String key) throws IOException;

  /**
   * Waits for, then holds, an exclusive lock on the name {@code name} among every user of this
   * snapshotter: threads, and processes when the snapshotter's storage is shared. Unpackers hold it
   * around "is {@code name} committed? else prepare, apply, commit" so that each chain ID is
   * applied once. The name need not exist.
   *
   * @param name the name to lock, usually a chain ID
   * @return closing it releases the lock
   * @throws IOException when the lock cannot be taken
   */
  Closeable lock(String name) throws IOException;
}
