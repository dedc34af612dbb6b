package dev.hoist.content.local.internal;

import dev.hoist.errors.UnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of one ingest directory, across threads (a JVM-wide table, so two store
 * instances on the same root exclude each other too) and across processes (an OS lock on {@code
 * <ingest dir>/lock}).
 *
 * <p>The owner deletes the whole ingest directory, lock file included, when it commits or aborts. A
 * process that opened the old lock file before the delete could then lock an unlinked file; so
 * after locking, the lock file's identity ({@code fileKey}, device and inode on Unix) is compared
 * with the one seen before opening, and the attempt is repeated when they differ.
 */
public final class IngestLock implements AutoCloseable {

  static final String LOCK_FILE = "lock";

  /** Ingest directories held in this JVM. */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  /** Releases the locks of writers dropped without close, so a ref is not held until exit. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final Cleaner.Cleanable cleanable;
  private final RefSlots.Slot slot;

  private IngestLock(String key, FileChannel channel, RefSlots.Slot slot) {
    this.cleanable = CLEANER.register(this, new Release(key, channel));
    this.slot = slot;
  }

  /** The release action; holds no reference to the lock object, as the Cleaner requires. */
  private static final class Release implements Runnable {
    private final String key;
    private final FileChannel channel;

    Release(String key, FileChannel channel) {
      this.key = key;
      this.channel = channel;
    }

    @Override
    public void run() {
      try {
        channel.close(); // closing the channel releases its OS lock
      } catch (IOException e) {
        // nothing useful to do: the OS drops the lock when the process exits
      } finally {
        HELD.remove(key);
      }
    }
  }

  /**
   * Takes the lock for {@code dir}, creating the directory. Waits up to {@code wait} (polling) when
   * another writer holds it.
   *
   * @throws UnavailableException when the lock is still held after {@code wait}
   */
  public static IngestLock acquire(Path dir, String ref, Duration wait) throws IOException {
    return acquire(dir, ref, wait, null);
  }

  /**
   * As {@link #acquire(Path, String, Duration)}, for a caller that holds the ref's {@link RefSlots
   * slot} already (a small blob's writer moving its bytes to disk): the lock takes the slot over
   * and releases it on close, also when acquiring fails.
   */
  public static IngestLock acquire(Path dir, String ref, Duration wait, RefSlots.Slot held)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 5;
    while (true) {
      IngestLock l;
      try {
        l = held != null ? tryAcquireDirectory(dir, held) : tryAcquire(dir);
      } catch (IOException | RuntimeException e) {
        if (held != null) {
          held.close();
        }
        throw e;
      }
      if (l != null) {
        return l;
      }
      if (System.nanoTime() - deadline >= 0) {
        if (held != null) {
          held.close();
        }
        throw new UnavailableException(
            "ingest ref \"" + ref + "\" is locked by another writer (in this or another process)");
      }
      try {
        // Polling is the only portable way to wait for an OS file lock with a deadline.
        Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        if (held != null) {
          held.close();
        }
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for ingest ref \"" + ref + "\"");
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  /**
   * One attempt; null when the lock is busy. The ref's {@link RefSlots slot} is taken first (it is
   * what excludes a writer that keeps a small blob in memory), then the lock file in the directory
   * (what Hoist versions before the slots take, and what keeps a directory from being removed under
   * its writer).
   */
  public static IngestLock tryAcquire(Path dir) throws IOException {
    RefSlots.Slot slot = RefSlots.tryAcquire(dir);
    if (slot == null) {
      return null;
    }
    IngestLock l = null;
    try {
      l = tryAcquireDirectory(dir, slot);
      return l;
    } finally {
      if (l == null) {
        slot.close();
      }
    }
  }

  /** The directory's lock file, holding {@code slot} already; null when busy. */
  private static IngestLock tryAcquireDirectory(Path dir, RefSlots.Slot slot) throws IOException {
    String key = dir.toAbsolutePath().normalize().toString();
    for (int attempt = 0; attempt < 16; attempt++) {
      if (!HELD.add(key)) {
        return null;
      }
      boolean ok = false;
      FileChannel ch = null;
      try {
        // A planted link in place of the directory or the lock file is removed, never followed.
        OwnFiles.ownDirectory(dir);
        Path lockPath = dir.resolve(LOCK_FILE);
        OwnFiles.removeUnlessOwnFile(lockPath);
        Object before = fileKey(lockPath);
        ch =
            FileChannel.open(
                lockPath,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock fl;
        try {
          fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          fl = null; // another store instance in this JVM reached the file by another path
        }
        if (fl == null) {
          return null;
        }
        Object after = fileKey(lockPath);
        if (before != null && before.equals(after)) {
          ok = true;
          return new IngestLock(key, ch, slot);
        }
        // The file was created just now, or replaced under us: check again on a known file.
        fl.release();
      } catch (NoSuchFileException e) {
        // The directory was removed by a committing owner between our steps: try again.
      } finally {
        if (!ok) {
          if (ch != null) {
            ch.close();
          }
          HELD.remove(key);
        }
      }
    }
    return null;
  }

  private static Object fileKey(Path p) throws IOException {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      // Without a file key (rare platforms) identity cannot be checked; existence must do.
      return a.fileKey() != null ? a.fileKey() : Objects.toString(a.creationTime());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Releases the lock and the ref's slot; idempotent. */
  @Override
  public void close() {
    try {
      cleanable.clean();
    } finally {
      slot.close();
    }
  }
}
