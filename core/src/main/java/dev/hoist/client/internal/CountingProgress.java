package dev.hoist.client.internal;

import dev.hoist.client.ForwardingProgressListener;
import dev.hoist.client.ProgressListener;
import dev.hoist.spec.Descriptor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a fetch's events for its summary and passes every event on to the caller's listener.
 * Thread-safe: events come from every download thread.
 */
public final class CountingProgress extends ForwardingProgressListener {

  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger exists = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * Counts, then forwards to {@code next}.
   *
   * @param next the caller's listener
   */
  public CountingProgress(ProgressListener next) {
    super(next);
  }

  /** {@return blobs committed by this fetch} */
  public int downloaded() {
    return done.get();
  }

  /** {@return blobs found in the store} */
  public int present() {
    return exists.get();
  }

  /** {@return bytes written by this fetch} */
  public long bytes() {
    return bytes.get();
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    bytes.addAndGet(count);
    super.bytesTransferred(desc, count);
  }

  @Override
  public void done(Descriptor desc) {
    done.incrementAndGet();
    super.done(desc);
  }

  @Override
  public void exists(Descriptor desc) {
    exists.incrementAndGet();
    super.exists(desc);
  }
}
