package dev.hoist.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The default fetch executor: daemon threads named {@code hoist-fetch-N}. */
public final class FetchPool {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private FetchPool() {}

  /** A pool of {@code threads} daemon threads; the caller shuts it down. */
  public static ExecutorService create(int threads) {
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "hoist-fetch-" + COUNTER.incrementAndGet());
          // Daemon, so that a forgotten pool can never keep the JVM alive.
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(threads, factory);
  }

  /**
   * Shuts {@code pool} down and waits (up to 10 s) for its threads to end, so that a fetch that
   * returned leaves no thread behind. An interrupt while waiting is kept for the caller.
   */
  public static void shutdown(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
