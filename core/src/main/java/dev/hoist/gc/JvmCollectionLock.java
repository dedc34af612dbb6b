package dev.hoist.gc;

import java.io.InterruptedIOException;

/**
 * A {@link CollectionLock} within one JVM: any number of shared holders or one exclusive holder.
 * Unlike {@link java.util.concurrent.locks.ReentrantReadWriteLock} a hold is not owned by a thread,
 * so it may be closed on another thread than the one that took it (a fetch may end on a pool
 * thread). Not reentrant: a thread holding it shared that asks for it exclusively waits for itself.
 */
public final class JvmCollectionLock implements CollectionLock {

  private int shared; // guarded by this

  /** A lock that nobody holds. */
  public JvmCollectionLock() {}

  private boolean exclusive; // guarded by this

  /**
   * {@inheritDoc}
   *
   * @throws InterruptedIOException when interrupted while waiting (the interrupt status is kept)
   */
  @Override
  public synchronized Hold shared() throws InterruptedIOException {
    while (exclusive) {
      await();
    }
    shared++;
    return once(this::releaseShared);
  }

  /**
   * {@inheritDoc}
   *
   * @throws InterruptedIOException when interrupted while waiting (the interrupt status is kept)
   */
  @Override
  public synchronized Hold exclusive() throws InterruptedIOException {
    while (exclusive || shared > 0) {
      await();
    }
    exclusive = true;
    return once(this::releaseExclusive);
  }

  @Override
  public synchronized Hold tryExclusive() {
    if (exclusive || shared > 0) {
      return null;
    }
    exclusive = true;
    return once(this::releaseExclusive);
  }

  private void await() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the garbage-collection lock");
    }
  }

  private synchronized void releaseShared() {
    shared--;
    notifyAll();
  }

  private synchronized void releaseExclusive() {
    exclusive = false;
    notifyAll();
  }

  /** A hold whose second close does nothing. */
  private static Hold once(Runnable release) {
    boolean[] closed = {false};
    return () -> {
      synchronized (closed) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
      }
      release.run();
    };
  }
}
