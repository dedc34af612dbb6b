package dev.hoist.content.local.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for an OS file lock by polling {@code tryLock} with a bounded backoff (1 ms doubling to
 * 50 ms), never with a blocking lock. A blocking lock ({@code F_SETLKW}) can fail with EDEADLK
 * ("Resource deadlock avoided") when two processes each hold one lock and wait for the other's:
 * Linux tracks these locks per process, not per thread, so it sees a cycle even when the holder and
 * the waiter are different threads of one process and nothing is stuck. {@code tryLock} never asks
 * for that detection.
 */
final class PollingLock {

  private static final long FIRST_WAIT_NANOS = 1_000_000;
  private static final long MAX_WAIT_NANOS = 50_000_000;

  private PollingLock() {}

  /**
   * Locks the whole of {@code ch}, waiting as long as it takes; released when the channel closes.
   *
   * @throws InterruptedIOException when the thread is interrupted while waiting (the flag stays
   *     set)
   */
  static FileLock lock(FileChannel ch, boolean shared) throws IOException {
    long waitNanos = FIRST_WAIT_NANOS;
    while (true) {
      FileLock held = ch.tryLock(0, Long.MAX_VALUE, shared);
      if (held != null) {
        return held;
      }
      LockSupport.parkNanos(waitNanos);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for the lock");
      }
      waitNanos = Math.min(waitNanos * 2, MAX_WAIT_NANOS);
    }
  }
}
