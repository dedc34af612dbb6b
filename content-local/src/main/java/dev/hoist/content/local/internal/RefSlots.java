package dev.hoist.content.local.internal;

import dev.hoist.errors.UnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exclusive ownership of one ingest ref without a file per ref: a one-byte OS lock on {@code
 * ingest/refs.lock} at an offset taken from the ref's hash (the hex name of its ingest directory),
 * plus a JVM-wide table of the slots held here. Every writer takes its ref's slot first, so a
 * writer that keeps a small blob in memory (and creates no ingest directory) excludes every other
 * writer of the ref, in this and in other processes, exactly as the lock in the ingest directory
 * does.
 *
 * <p>Offsets are 60 bits of SHA-256: two refs share a slot with negligible probability, and then
 * one of them is merely refused as busy for as long as the other is written.
 *
 * <p>POSIX record locks belong to the process and every close of <em>any</em> descriptor of the
 * file drops all of them. So this JVM opens the file through one channel per file (found by its
 * device and inode, looked up without opening it), kept open while any slot on it is held and
 * closed when the last is released; nothing else in the store opens this file.
 */
public final class RefSlots {

  static final String FILE = "refs.lock";

  /** Open lock files by file key; guarded by itself, as are the other tables. */
  private static final Map<Object, Shared> OPEN = new HashMap<>();

  /** The same, by the paths they were reached by. */
  private static final Map<Path, Shared> BY_PATH = new HashMap<>();

  /**
   * Channels that must never be closed while this JVM holds locks on their file (a closed channel
   * or one its cleaner closes drops them all); see {@link #open}.
   */
  private static final List<FileChannel> LEAKED = new ArrayList<>();

  private static final Cleaner CLEANER = Cleaner.create();

  private RefSlots() {}

  /** One lock file's channel and the slots this JVM holds on it. */
  private static final class Shared {
    final Object key;
    final FileChannel channel;
    final Set<Long> held = new HashSet<>();
    final Set<Path> paths = new HashSet<>();

    Shared(Object key, FileChannel channel) {
      this.key = key;
      this.channel = channel;
    }
  }

  /** A held slot; released by {@link #close()} or when dropped unreleased. */
  public static final class Slot implements AutoCloseable {
    private final Cleaner.Cleanable cleanable;

    private Slot(Shared shared, long offset, FileLock lock) {
      this.cleanable = CLEANER.register(this, new Release(shared, offset, lock));
    }

    /** Releases the slot; idempotent. */
    @Override
    public void close() {
      cleanable.clean();
    }
  }

  /** The release action; refers to no {@link Slot}, as the Cleaner requires. */
  private static final class Release implements Runnable {
    private final Shared shared;
    private final long offset;
    private final FileLock lock;

    Release(Shared shared, long offset, FileLock lock) {
      this.shared = shared;
      this.offset = offset;
      this.lock = lock;
    }

    @Override
    public void run() {
      synchronized (OPEN) {
        try {
          if (lock.isValid()) {
            lock.release();
          }
        } catch (IOException e) {
          // the close below drops the lock anyway
        } finally {
          shared.held.remove(offset);
          try {
            closeIfUnused(shared); // no lock of this JVM is left on the file to drop
          } catch (IOException e) {
            // nothing useful to do
          }
        }
      }
    }
  }

  /**
   * Takes the slot of {@code ingestDir}, waiting up to {@code wait} (polling, as {@link
   * IngestLock#acquire}) while another writer holds it.
   *
   * @throws UnavailableException when the slot is still held after {@code wait}
   */
  public static Slot acquire(Path ingestDir, String ref, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 5;
    while (true) {
      Slot s = tryAcquire(ingestDir);
      if (s != null) {
        return s;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new UnavailableException(
            "ingest ref \"" + ref + "\" is locked by another writer (in this or another process)");
      }
      try {
        Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for ingest ref \"" + ref + "\"");
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  /**
   * One attempt at the slot of the ingest directory {@code ingestDir} (its name is the SHA-256 of
   * the ref, in hex); null when a writer in this or another process holds it.
   *
   * @param ingestDir {@code ingest/<hex>}; its parent holds the lock file
   * @return the held slot, or null when busy
   * @throws IOException when the lock file cannot be opened or locked
   */
  public static Slot tryAcquire(Path ingestDir) throws IOException {
    Path file = ingestDir.getParent().resolve(FILE);
    long offset = offset(ingestDir.getFileName().toString());
    synchronized (OPEN) {
      Shared shared = open(file);
      if (shared.held.contains(offset)) {
        return null;
      }
      FileLock lock;
      try {
        lock = shared.channel.tryLock(offset, 1, false);
      } catch (OverlappingFileLockException e) {
        lock = null; // cannot happen while the table is right; busy is the safe answer
      }
      if (lock == null) {
        closeIfUnused(shared);
        return null;
      }
      shared.held.add(offset);
      return new Slot(shared, offset, lock);
    }
  }

  /** The file's shared channel, opened when this JVM holds no slot on it. Under {@code OPEN}. */
  private static Shared open(Path file) throws IOException {
    Shared shared = BY_PATH.get(file);
    if (shared != null) {
      return shared; // a slot is held on it: it is open, no need to look at the file
    }
    OwnFiles.Entry e = OwnFiles.lstat(file);
    if (e != null && !e.attrs().isRegularFile()) {
      // A planted link, FIFO or directory in the file's place is removed, never followed. (A
      // regular file stays even with other names: it is only locked, never read or written.)
      OwnFiles.removeUnlessOwnFile(file);
      e = null;
    }
    if (e != null && e.attrs().fileKey() != null) {
      shared = OPEN.get(e.attrs().fileKey());
      if (shared != null) {
        BY_PATH.put(file, shared); // the same file reached through another path to the root
        shared.paths.add(file);
        return shared;
      }
    }
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    Object opened = PublishFiles.fileKey(file);
    if (opened == null) {
      opened = file; // no file keys on this platform (or removed meanwhile): the path must do
    }
    Shared existing = OPEN.get(opened);
    if (existing != null) {
      // The file was replaced between the look-up and the open by one this JVM already has open.
      // Closing this channel would drop the locks held through the other, so it is kept.
      LEAKED.add(ch);
      return existing;
    }
    shared = new Shared(opened, ch);
    shared.paths.add(file);
    OPEN.put(opened, shared);
    BY_PATH.put(file, shared);
    return shared;
  }

  private static void closeIfUnused(Shared shared) throws IOException {
    if (shared.held.isEmpty()) {
      OPEN.remove(shared.key);
      shared.paths.forEach(BY_PATH::remove);
      shared.channel.close();
    }
  }

  /**
   * The slot's offset: the first 15 hex digits of an ingest directory's name (60 bits), or of the
   * SHA-256 of any other name (a directory Hoist did not make).
   */
  static long offset(String dirName) {
    String hex =
        startsWithLowerHex(dirName) ? dirName : dev.hoist.digest.Digest.sha256(dirName).encoded();
    return Long.parseUnsignedLong(hex, 0, 15, 16);
  }

  /** Whether the first 15 characters are lowercase hex digits (checked once per writer opened). */
  private static boolean startsWithLowerHex(String s) {
    if (s.length() < 15) {
      return false;
    }
    for (int i = 0; i < 15; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Slots this JVM holds on all files (tests). */
  static int heldInThisJvm() {
    synchronized (OPEN) {
      return OPEN.values().stream().mapToInt(s -> s.held.size()).sum();
    }
  }
}
