package dev.hoist.remotes.docker.internal;

import java.util.concurrent.Semaphore;

/**
 * The chunk buffers one resolver may hold at once, shared by all its fetches, so that parallel
 * chunked downloads of several large blobs never hold more than {@code buffers × chunkSize} bytes
 * together (a 64 MiB heap must still fetch any image). A blob that gets fewer than two buffers is
 * fetched as one stream: with concurrent blobs the connection-level parallelism is already there.
 */
public final class ChunkBudget {

  private final Semaphore permits;

  /** A budget of {@code buffers} chunk buffers. */
  public ChunkBudget(int buffers) {
    this.permits = new Semaphore(Math.max(0, buffers));
  }

  /** Takes up to {@code max} buffers without waiting; returns how many were taken. */
  int tryTake(int max) {
    int taken = 0;
    while (taken < max && permits.tryAcquire()) {
      taken++;
    }
    return taken;
  }

  /** Returns {@code n} buffers taken earlier. */
  void give(int n) {
    if (n > 0) {
      permits.release(n);
    }
  }

  /** Buffers not in use now; for tests. */
  int available() {
    return permits.availablePermits();
  }
}
