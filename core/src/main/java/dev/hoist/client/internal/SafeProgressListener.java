package dev.hoist.client.internal;

import dev.hoist.client.ProgressListener;
import dev.hoist.spec.Descriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Isolates a listener: its exceptions are logged at warn and never reach the fetch. */
public final class SafeProgressListener implements ProgressListener {

  private static final Logger log = LoggerFactory.getLogger(SafeProgressListener.class);

  private final ProgressListener delegate;

  private SafeProgressListener(ProgressListener delegate) {
    this.delegate = delegate;
  }

  public static ProgressListener of(ProgressListener listener) {
    if (listener == ProgressListener.NONE || listener instanceof SafeProgressListener) {
      return listener;
    }
    return new SafeProgressListener(listener);
  }

  private void guard(String event, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("progress listener failed on {}: {}", event, e.toString());
    }
  }

  @Override
  public void resolving(String ref) {
    guard("resolving", () -> delegate.resolving(ref));
  }

  @Override
  public void resolved(String ref, Descriptor root) {
    guard("resolved", () -> delegate.resolved(ref, root));
  }

  @Override
  public void waiting(Descriptor desc) {
    guard("waiting", () -> delegate.waiting(desc));
  }

  @Override
  public void downloading(Descriptor desc, long resumeOffset) {
    guard("downloading", () -> delegate.downloading(desc, resumeOffset));
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    guard("bytesTransferred", () -> delegate.bytesTransferred(desc, count));
  }

  @Override
  public void done(Descriptor desc) {
    guard("done", () -> delegate.done(desc));
  }

  @Override
  public void exists(Descriptor desc) {
    guard("exists", () -> delegate.exists(desc));
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    guard("failed", () -> delegate.failed(desc, error));
  }

  @Override
  public void unpacking(Descriptor layer) {
    guard("unpacking", () -> delegate.unpacking(layer));
  }

  @Override
  public void unpacked(Descriptor layer, dev.hoist.digest.Digest chainId, boolean reused) {
    guard("unpacked", () -> delegate.unpacked(layer, chainId, reused));
  }
}
