package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the writeback of an ingest's data while the blob is still arriving: every {@value
 * #EVERY_BYTES} bytes written, a {@code force(false)} runs on a background thread (one at a time
 * per file). The disk then works while the network does, and the fsync at commit, which durability
 * requires, finds little left to flush instead of the whole blob (a GiB takes seconds to sync on a
 * typical disk). Failures here are ignored: the commit's own fsync reports them. Not thread-safe;
 * the owning writer calls it under its lock.
 */
final class WriteBehind {

  /** Bytes between background flushes. */
  static final long EVERY_BYTES = 32L << 20;

  private static final AtomicInteger COUNT = new AtomicInteger();

  // Never interrupted (no future is cancelled), so a flush cannot close the channel.
  private static final ExecutorService FLUSHERS =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "hoist-writeback-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private final FileChannel channel;
  private long unflushed;
  private Future<?> inFlight;

  WriteBehind(FileChannel channel) {
    this.channel = channel;
  }

  /** Notes {@code n} more bytes written; may start a background flush. */
  void wrote(long n) {
    unflushed += n;
    if (unflushed >= EVERY_BYTES && (inFlight == null || inFlight.isDone())) {
      unflushed = 0;
      inFlight = FLUSHERS.submit(this::flush);
    }
  }

  private void flush() {
    try {
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      // Closed meanwhile, or a disk error the commit's fsync will report.
    }
  }
}
