package dev.hoist.cli;

import dev.hoist.client.ForwardingProgressListener;
import dev.hoist.client.ProgressListener;
import dev.hoist.content.IngestRefs;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A pull's progress: fetch events go to the fetch display, unpack events become one line each
 * ({@code layer-sha256:…: unpacking}, {@code unpacked}, {@code reused}) for the plain display.
 */
final class UnpackProgress extends ForwardingProgressListener {

  private final Consumer<String> lines;
  final AtomicInteger applied = new AtomicInteger();
  final AtomicInteger reused = new AtomicInteger();

  UnpackProgress(ProgressListener fetch, Consumer<String> lines) {
    super(fetch);
    this.lines = lines;
  }

  // The unpack events become lines here and do not reach the fetch display.
  @Override
  public void unpacking(Descriptor layer) {
    lines.accept(IngestRefs.of(layer) + ": unpacking");
  }

  @Override
  public void unpacked(Descriptor layer, Digest chainId, boolean wasCommitted) {
    (wasCommitted ? reused : applied).incrementAndGet();
    lines.accept(IngestRefs.of(layer) + ": " + (wasCommitted ? "reused " : "unpacked ") + chainId);
  }
}
