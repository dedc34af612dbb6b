package dev.hoist.unpack.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blocking mutex over a lock file, across threads and processes: a JVM-wide semaphore per file
 * first (the OS lock belongs to the process, and Java refuses a second lock on one file from one
 * JVM), then an OS lock for other processes. The OS releases it when a process dies, so a {@code
 * kill -9} never leaves a lock behind. Lock files are never deleted (deleting one under a waiter
 * would let two holders in).
 */
public final class FileMutex {

  private static final ConcurrentHashMap<String, Semaphore> JVM = new ConcurrentHashMap<>();

  private FileMutex() {}

  /**
   * Waits for and takes the lock on {@code file} (created when absent).
   *
   * @param file the lock file
   * @return closing it releases the lock
   * @throws IOException when the file cannot be opened or locked
   */
  public static Closeable lock(Path file) throws IOException {
    Semaphore jvm =
        JVM.computeIfAbsent(file.toAbsolutePath().normalize().toString(), k -> new Semaphore(1));
    jvm.acquireUninterruptibly();
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock os = lockPolling(ch);
      return new Held(os, ch, jvm);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      jvm.release();
      throw e;
    }
  }

  /**
   * Takes the lock on {@code file} only when nobody holds it, in this JVM or another process.
   *
   * @param file the lock file
   * @return the held lock, or null when it is held elsewhere
   * @throws IOException when the file cannot be opened
   */
  public static Closeable tryLock(Path file) throws IOException {
    Semaphore jvm =
        JVM.computeIfAbsent(file.toAbsolutePath().normalize().toString(), k -> new Semaphore(1));
    if (!jvm.tryAcquire()) {
      return null;
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock os = ch.tryLock();
      if (os == null) {
        ch.close();
        jvm.release();
        return null;
      }
      return new Held(os, ch, jvm);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      jvm.release();
      throw e;
    }
  }

  private static final class Held implements Closeable {
    private final FileLock os;
    private final FileChannel channel;
    private final Semaphore jvm;
    private final AtomicBoolean released = new AtomicBoolean();

    Held(FileLock os, FileChannel channel, Semaphore jvm) {
      this.os = os;
      this.channel = channel;
      this.jvm = jvm;
    }

    @Override
    public void close() throws IOException {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      try {
        os.release();
        channel.close();
      } finally {
        jvm.release();
      }
    }
  }

  /**
   * Takes an exclusive lock on {@code ch} by polling. A blocking lock ({@code F_SETLKW}) can fail
   * with EDEADLK ("Resource deadlock avoided") when two processes each hold one lock and wait for
   * the other's: Linux tracks these locks per process, not per thread, so it sees a cycle even when
   * the holder and the waiter are different threads of one process and nothing is stuck. {@code
   * tryLock} never asks for that detection.
   */
  private static FileLock lockPolling(FileChannel ch) throws IOException {
    long waitNanos = 1_000_000;
    while (true) {
      FileLock held = ch.tryLock();
      if (held != null) {
        return held;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(waitNanos);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for the lock");
      }
      waitNanos = Math.min(waitNanos * 2, 50_000_000);
    }
  }
}
