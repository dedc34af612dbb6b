package dev.hoist.client.internal;

import dev.hoist.client.ProgressListener;
import dev.hoist.spec.Descriptor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a fetch's events for its summary and passes every event on to the caller's listener.
 * Thread-safe: events come from every download thread.
 */
public final class CountingProgress implements ProgressListener {

  private final ProgressListener next;
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger exists = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param next the caller's listener, called after counting
   */
  public CountingProgress(ProgressListener next) {
    this.next = next;
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
  public void resolving(String ref) {
    next.resolving(ref);
  }

  @Override
  public void resolved(String ref, Descriptor root) {
    next.resolved(ref, root);
  }

  @Override
  public void waiting(Descriptor desc) {
    next.waiting(desc);
  }

  @Override
  public void downloading(Descriptor desc, long resumeOffset) {
    next.downloading(desc, resumeOffset);
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    bytes.addAndGet(count);
    next.bytesTransferred(desc, count);
  }

  @Override
  public void done(Descriptor desc) {
    done.incrementAndGet();
    next.done(desc);
  }

  @Override
  public void exists(Descriptor desc) {
    exists.incrementAndGet();
    next.exists(desc);
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    next.failed(desc, error);
  }
}
