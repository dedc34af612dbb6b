package dev.hoist.remotes.docker.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that download {@code Range} chunks. Unbounded in count because the bound
 * lives elsewhere: each {@link ChunkedBlobStream} runs at most its parallelism minus one tasks,
 * and the fetch's {@code maxConcurrentDownloads} bounds the streams; idle threads end after 30 s.
 */
final class ChunkPool {

  private static final AtomicInteger COUNT = new AtomicInteger();

  static final ExecutorService EXECUTOR =
      new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemons());

  private ChunkPool() {}

  private static ThreadFactory daemons() {
    return r -> {
      Thread t = new Thread(r, "hoist-chunk-" + COUNT.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
