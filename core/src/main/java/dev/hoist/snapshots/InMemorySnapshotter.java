package dev.hoist.snapshots;

import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.NotImplementedException;
import java.io.Closeable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * A {@link Snapshotter} that keeps metadata only, no files: for unit tests of code that drives a
 * snapshotter (an unpack, garbage collection). Mounts are bind mounts of {@code memory:<key>},
 * which name nothing on disk. Thread-safe; {@link #lock} holds across threads of this JVM only.
 */
public final class InMemorySnapshotter implements Snapshotter {

  private final String name;
  private final Clock clock;
  private final boolean onPending;
  private final Map<String, SnapshotInfo> snapshots = new HashMap<>();
  private final Map<String, Semaphore> locks = new ConcurrentHashMap<>();

  /** A snapshotter named {@code memory} with the system clock. */
  public InMemorySnapshotter() {
    this("memory", Clock.systemUTC());
  }

  /**
   * A snapshotter with the given name and clock.
   *
   * @param name what {@link #name()} returns
   * @param clock where created and updated times come from
   */
  public InMemorySnapshotter(String name, Clock clock) {
    this(name, clock, false);
  }

  /**
   * A snapshotter with the given name and clock that also prepares on parents not committed yet
   * ({@link #prepareOnPending}), as the overlay snapshotter does: an unpack onto it applies two
   * layers at once.
   *
   * @param name what {@link #name()} returns
   * @param clock where created and updated times come from
   * @param preparesOnPending whether {@link #prepareOnPending} is supported
   */
  public InMemorySnapshotter(String name, Clock clock, boolean preparesOnPending) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onPending = preparesOnPending;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized SnapshotInfo stat(String key) {
    return get(key);
  }

  @Override
  public synchronized List<Mount> mounts(String key) {
    SnapshotInfo info = get(key);
    if (info.kind() == Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": committed snapshots have no mounts");
    }
    return mountsOf(info);
  }

  @Override
  public List<Mount> prepare(String key, String parent, Map<String, String> labels) {
    return create(key, parent, labels, Kind.ACTIVE);
  }

  @Override
  public List<Mount> view(String key, String parent, Map<String, String> labels) {
    return create(key, parent, labels, Kind.VIEW);
  }

  @Override
  public synchronized List<Mount> prepareOnPending(
      String key, String parent, String parentKey, Map<String, String> labels) {
    if (!onPending) {
      throw new NotImplementedException(
          "snapshotter " + name + ": cannot prepare a snapshot on a parent not committed yet");
    }
    checkKey(key);
    SnapshotInfo pending = get(parentKey);
    if (pending.kind() != Kind.ACTIVE) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": pending parent " + parentKey + " is not active");
    }
    if (pending.parent() != null && get(pending.parent()).kind() != Kind.COMMITTED) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": the parent of " + parentKey + " is not committed");
    }
    return create(key, Objects.requireNonNull(parent, "parent"), labels, Kind.ACTIVE, true);
  }

  @Override
  public boolean preparesOnPending() {
    return onPending;
  }

  private List<Mount> create(String key, String parent, Map<String, String> labels, Kind kind) {
    return create(key, parent, labels, kind, false);
  }

  private synchronized List<Mount> create(
      String key, String parent, Map<String, String> labels, Kind kind, boolean pending) {
    checkKey(key);
    if (snapshots.containsKey(key)) {
      throw new AlreadyExistsException("snapshot " + key + ": already exists");
    }
    if (parent != null && !pending) {
      if (get(parent).kind() != Kind.COMMITTED) {
        throw new InvalidArgumentException(
            "snapshot " + key + ": parent " + parent + " is not committed");
      }
    }
    Instant now = clock.instant();
    SnapshotInfo info = new SnapshotInfo(key, parent, kind, labels, now, now);
    snapshots.put(key, info);
    return mountsOf(info);
  }

  @Override
  public synchronized void commit(String name, String key, Map<String, String> labels) {
    checkKey(name);
    SnapshotInfo active = get(key);
    if (active.kind() != Kind.ACTIVE) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": is " + active.kind() + ", not active");
    }
    if (snapshots.containsKey(name)) {
      throw new AlreadyExistsException("snapshot " + name + ": already exists");
    }
    SnapshotInfo parent = active.parent() == null ? null : snapshots.get(active.parent());
    if (active.parent() != null && (parent == null || parent.kind() != Kind.COMMITTED)) {
      throw new FailedPreconditionException(
          "snapshot " + key + ": its parent " + active.parent() + " is not committed");
    }
    Map<String, String> merged = new HashMap<>(active.labels());
    merged.putAll(labels == null ? Map.of() : labels);
    Instant now = clock.instant();
    snapshots.remove(key);
    snapshots.put(name, new SnapshotInfo(name, active.parent(), Kind.COMMITTED, merged, now, now));
  }

  @Override
  public synchronized void remove(String key) {
    get(key);
    for (SnapshotInfo s : snapshots.values()) {
      if (key.equals(s.parent())) {
        throw new FailedPreconditionException(
            "snapshot " + key + ": has children (" + s.name() + ")");
      }
    }
    snapshots.remove(key);
  }

  @Override
  public void walk(Consumer<SnapshotInfo> visitor) {
    List<SnapshotInfo> all;
    synchronized (this) {
      all = new ArrayList<>(snapshots.values());
    }
    all.forEach(visitor);
  }

  @Override
  public synchronized Usage usage(String key) {
    get(key);
    return new Usage(0, 0);
  }

  @Override
  public Closeable lock(String name) {
    Semaphore s =
        locks.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new Semaphore(1));
    s.acquireUninterruptibly();
    return new Closeable() {
      private boolean released;

      @Override
      public synchronized void close() {
        if (!released) {
          released = true;
          s.release();
        }
      }
    };
  }

  private SnapshotInfo get(String key) {
    Objects.requireNonNull(key, "key");
    SnapshotInfo info = snapshots.get(key);
    if (info == null) {
      throw new NotFoundException("snapshot " + key + ": not found");
    }
    return info;
  }

  private static void checkKey(String key) {
    if (Objects.requireNonNull(key, "key").isEmpty()) {
      throw new InvalidArgumentException("snapshot key must not be empty");
    }
  }

  private static List<Mount> mountsOf(SnapshotInfo info) {
    return List.of(Mount.bind("memory:" + info.name(), info.kind() == Kind.VIEW));
  }
}
