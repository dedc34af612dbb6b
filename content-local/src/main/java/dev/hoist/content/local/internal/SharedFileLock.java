package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking mutex over a lock file that is never deleted ({@code index.json.lock}, the labels
 * lock): a JVM-wide {@link ReentrantLock} per file, because the OS lock is per process and Java
 * refuses a second lock on the same file from the same JVM, then the OS lock for other processes,
 * taken by {@link PollingLock polling}.
 */
public final class SharedFileLock {

  private static final ConcurrentHashMap<String, ReentrantLock> JVM_LOCKS =
      new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock jvmLock;

  public SharedFileLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.jvmLock = JVM_LOCKS.computeIfAbsent(this.file.toString(), k -> new ReentrantLock());
  }

  /** Work done while holding the lock. */
  @FunctionalInterface
  public interface Action<T> {
    T run() throws IOException;
  }

  /** Runs {@code action} holding the lock in this JVM and against other processes. */
  public <T> T locked(Action<T> action) throws IOException {
    jvmLock.lock();
    try (FileChannel ch = open()) {
      FileLock held = PollingLock.lock(ch, false); // released when the channel closes
      assert held.isValid();
      return action.run();
    } finally {
      jvmLock.unlock();
    }
  }

  /** Opens the lock file itself: a planted link (or FIFO) in its place is removed, not followed. */
  private FileChannel open() throws IOException {
    OwnFiles.removeUnlessOwnFile(file);
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }
}
