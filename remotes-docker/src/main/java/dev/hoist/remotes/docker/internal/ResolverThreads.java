package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.FailedPreconditionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread one resolver starts, so that closing the resolver ends them (OkHttp's client owns
 * its dispatcher and pool the same way; there are no static executors). Both executors start on
 * first use: a resolver that is built and never used starts no thread.
 *
 * <ul>
 *   <li>{@link #timer()}: one daemon thread, {@code hoist-timer-<n>}, for the connection pool's
 *       idle sweeps and the body idle-read checks;
 *   <li>{@link #chunks()}: at most {@code maxChunkThreads} daemon threads, {@code
 *       hoist-chunk-<n>-<i>}, for parallel range chunks. The resolver's chunk budget bounds the
 *       chunks in flight to the same number, so a task never waits for a thread; idle threads end
 *       after 30 s.
 * </ul>
 */
public final class ResolverThreads implements AutoCloseable {

  private static final AtomicInteger IDS = new AtomicInteger();

  private final int id = IDS.incrementAndGet();
  private final int maxChunkThreads;
  private ScheduledThreadPoolExecutor timer;
  private ThreadPoolExecutor chunks;
  private boolean closed;

  /**
   * @param maxChunkThreads the most chunk downloads in flight at once, at least 1
   */
  public ResolverThreads(int maxChunkThreads) {
    this.maxChunkThreads = Math.max(1, maxChunkThreads);
  }

  /**
   * The timer thread.
   *
   * @throws FailedPreconditionException after {@link #close()}
   */
  public synchronized ScheduledExecutorService timer() {
    checkOpen();
    if (timer == null) {
      timer = new ScheduledThreadPoolExecutor(1, daemons("hoist-timer-" + id, false));
      timer.setRemoveOnCancelPolicy(true);
      timer.setKeepAliveTime(30, TimeUnit.SECONDS);
      timer.allowCoreThreadTimeOut(true);
    }
    return timer;
  }

  /**
   * The chunk download threads.
   *
   * @throws FailedPreconditionException after {@link #close()}
   */
  public synchronized ExecutorService chunks() {
    checkOpen();
    if (chunks == null) {
      chunks =
          new ThreadPoolExecutor(
              maxChunkThreads,
              maxChunkThreads,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemons("hoist-chunk-" + id, true));
      chunks.allowCoreThreadTimeOut(true);
    }
    return chunks;
  }

  private void checkOpen() {
    if (closed) {
      throw new FailedPreconditionException("the resolver is closed");
    }
  }

  private static ThreadFactory daemons(String name, boolean numbered) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, numbered ? name + "-" + n.incrementAndGet() : name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Interrupts and ends every thread, waiting up to a few seconds for them to finish (a chunk
   * download closes its connection when interrupted). Idempotent.
   */
  @Override
  public void close() {
    ExecutorService[] all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ExecutorService[] {timer, chunks};
    }
    for (ExecutorService e : all) {
      if (e != null) {
        e.shutdownNow();
      }
    }
    boolean interrupted = false;
    for (ExecutorService e : all) {
      if (e != null) {
        try {
          e.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
