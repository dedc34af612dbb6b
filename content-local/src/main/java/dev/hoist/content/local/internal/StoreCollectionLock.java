package dev.hoist.content.local.internal;

import dev.hoist.gc.CollectionLock;
import dev.hoist.gc.JvmCollectionLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store-wide garbage-collection lock ({@code gc.lock} in the root): shared by fetches,
 * exclusive for a collection, across threads and processes.
 *
 * <p>The OS lock is per process and Java refuses overlapping locks from one JVM, so each JVM has
 * one {@link JvmCollectionLock} per file, and its shared holders share one OS shared lock: the
 * first takes it, the last releases it. An exclusive holder takes the JVM lock exclusively, then
 * the OS exclusive lock. A process that dies releases its OS lock with it: nothing stays locked.
 * Waits for the OS lock {@link PollingLock poll}, never block: a fetch holds the lock shared while
 * gc waits for it exclusively, the very shape in which a blocking lock fails with a false EDEADLK.
 */
public final class StoreCollectionLock implements CollectionLock {

  private static final ConcurrentHashMap<String, State> STATES = new ConcurrentHashMap<>();

  /** The JVM-wide state of one lock file. */
  private static final class State {
    final JvmCollectionLock jvm = new JvmCollectionLock();
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
    Hold jvm = state.jvm.shared();
    try {
      synchronized (state) {
        if (state.sharedHolders == 0) {
          FileChannel ch = open();
          try {
            PollingLock.lock(ch, true); // released when the channel closes
          } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
          }
          state.sharedChannel = ch;
        }
        state.sharedHolders++;
      }
    } catch (IOException | RuntimeException e) {
      jvm.close();
      throw e;
    }
    boolean[] closed = {false};
    return () -> {
      synchronized (state) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
        try {
          if (--state.sharedHolders == 0) {
            FileChannel ch = state.sharedChannel;
            state.sharedChannel = null;
            ch.close();
          }
        } finally {
          jvm.close();
        }
      }
    };
  }

  @Override
  public Hold exclusive() throws IOException {
    return osExclusive(state.jvm.exclusive(), true);
  }

  @Override
  public Hold tryExclusive() throws IOException {
    Hold jvm = state.jvm.tryExclusive();
    return jvm == null ? null : osExclusive(jvm, false);
  }

  private Hold osExclusive(Hold jvm, boolean wait) throws IOException {
    FileChannel ch = null;
    try {
      ch = open();
      FileLock held = wait ? PollingLock.lock(ch, false) : ch.tryLock();
      if (held == null) {
        ch.close();
        jvm.close();
        return null;
      }
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      jvm.close();
      throw e;
    }
    FileChannel channel = ch;
    return () -> {
      try {
        channel.close();
      } finally {
        jvm.close();
      }
    };
  }

  private FileChannel open() throws IOException {
    try {
      // Never through a link planted in the store: a link there is removed and the lock file
      // made afresh. A read-only or full store is a typed error.
      if (java.nio.file.Files.isSymbolicLink(file)) {
        java.nio.file.Files.deleteIfExists(file);
      }
      return FileChannel.open(
          file,
          StandardOpenOption.CREATE,
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw StoreErrors.orTypedAt(e, file);
    }
  }
}
