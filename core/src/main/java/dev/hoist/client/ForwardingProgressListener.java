package dev.hoist.client;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.util.Objects;

/**
 * A listener that passes every event on to another one: extend it and override only the events to
 * observe, calling {@code super} to keep passing them on.
 */
public abstract class ForwardingProgressListener implements ProgressListener {

  private final ProgressListener next;

  /**
   * Forwards to {@code next}.
   *
   * @param next the listener every event is passed to
   */
  protected ForwardingProgressListener(ProgressListener next) {
    this.next = Objects.requireNonNull(next, "next");
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
    next.bytesTransferred(desc, count);
  }

  @Override
  public void done(Descriptor desc) {
    next.done(desc);
  }

  @Override
  public void exists(Descriptor desc) {
    next.exists(desc);
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    next.failed(desc, error);
  }

  @Override
  public void unpacking(Descriptor layer) {
    next.unpacking(layer);
  }

  @Override
  public void unpacked(Descriptor layer, Digest chainId, boolean reused) {
    next.unpacked(layer, chainId, reused);
  }
}
