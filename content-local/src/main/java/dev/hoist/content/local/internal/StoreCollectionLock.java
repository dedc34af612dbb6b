package dev.hoist.content.local.internal;

import dev.hoist.gc.CollectionLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store-wide garbage-collection lock ({@code gc.lock} in the root): shared by fetches,
 * exclusive for a collection, across threads and processes.
 *
 * <p>The OS lock is per process and Java refuses overlapping locks from one JVM, so each JVM has
 * one read-write lock per file, and its shared holders share one OS shared lock: the first takes
 * it, the last releases it. An exclusive holder takes the JVM write lock, then the OS exclusive
 * lock. A process that dies releases its OS lock with it, so nothing stays locked.
 */
public final class StoreCollectionLock implements CollectionLock {

  private static final ConcurrentHashMap<String, State> STATES = new ConcurrentHashMap<>();

  /** The JVM-wide state of one lock file. */
  private static final class State {
    final ReentrantReadWriteLock jvm = new ReentrantReadWriteLock();
    int sharedHolders; // guarded by this
    FileChannel sharedChannel; // guarded by this
  }

  private final Path file;
  private final State state;

  public StoreCollectionLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.state = STATES.computeIfAbsent(this.file.toString(), k -> new State());
  }

  @Override
  public Hold shared() throws IOException {
    Lock read = state.jvm.readLock();
    read.lock();
    try {
      synchronized (state) {
        if (state.sharedHolders == 0) {
          FileChannel ch = open();
          try {
            ch.lock(0, Long.MAX_VALUE, true); // released when the channel closes
          } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
          }
          state.sharedChannel = ch;
        }
        state.sharedHolders++;
      }
    } catch (IOException | RuntimeException e) {
      read.unlock();
      throw e;
    }
    return () -> {
      try {
        synchronized (state) {
          if (--state.sharedHolders == 0) {
            FileChannel ch = state.sharedChannel;
            state.sharedChannel = null;
            ch.close();
          }
        }
      } finally {
        read.unlock();
      }
    };
  }

  @Override
  public Hold exclusive() throws IOException {
    return exclusive(true);
  }

  @Override
  public Hold tryExclusive() throws IOException {
    return exclusive(false);
  }

  private Hold exclusive(boolean wait) throws IOException {
    Lock write = state.jvm.writeLock();
    if (wait) {
      write.lock();
    } else if (!write.tryLock()) {
      return null;
    }
    FileChannel ch = null;
    try {
      ch = open();
      FileLock held = wait ? ch.lock() : ch.tryLock();
      if (held == null) {
        ch.close();
        write.unlock();
        return null;
      }
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      write.unlock();
      throw e;
    }
    FileChannel channel = ch;
    return () -> {
      try {
        channel.close();
      } finally {
        write.unlock();
      }
    };
  }

  private FileChannel open() throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }
}
