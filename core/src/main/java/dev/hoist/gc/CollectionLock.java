package dev.hoist.gc;

import java.io.IOException;

/**
 * Keeps garbage collection away from content that no image references yet: containerd's leases, as
 * one store-wide shared/exclusive lock. A fetch holds it shared from before its first blob until
 * its image is recorded; {@link GarbageCollector} holds it exclusively while it marks and sweeps. A
 * content store that several processes share implements it across processes ({@code
 * LocalContentStore} with an OS file lock); {@link dev.hoist.client.Client#fetch} takes it when its
 * content store implements this interface.
 */
public interface CollectionLock {

  /**
   * Holds collection off until the returned hold is closed; many holders at once. Blocks while a
   * collection runs.
   *
   * @return the hold, closed by the caller on the thread that acquired it
   * @throws IOException when the lock cannot be taken
   */
  Hold shared() throws IOException;

  /**
   * Waits for every shared holder (in any process) to finish, then excludes new ones until the
   * returned hold is closed.
   *
   * @return the hold, closed by the caller on the thread that acquired it
   * @throws IOException when the lock cannot be taken
   */
  Hold exclusive() throws IOException;

  /**
   * As {@link #exclusive()}, but gives up at once when a shared holder exists.
   *
   * @return the hold, or null when the lock is held shared
   * @throws IOException when the lock cannot be taken
   */
  Hold tryExclusive() throws IOException;

  /** A taken lock; closing it releases it. */
  interface Hold extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
