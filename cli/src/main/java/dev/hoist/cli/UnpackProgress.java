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
 * ({@code layer-sha256:…: unpacking}, {@code unpacked}, {@code reused}) for the plain display and
 * also reach the fetch display, whose live table shows each layer's unpack state.
 */
final class UnpackProgress extends ForwardingProgressListener {

  private final Consumer<String> lines;
  final AtomicInteger applied = new AtomicInteger();
  final AtomicInteger reused = new AtomicInteger();

  UnpackProgress(ProgressListener fetch, Consumer<String> lines) {
    super(fetch);
    this.lines = lines;
  }

  // The unpack events become lines here, and go on to the fetch display's rows (the live table).
  @Override
  public void unpacking(Descriptor layer) {
    lines.accept(IngestRefs.of(layer) + ": unpacking");
    super.unpacking(layer);
  }

  @Override
  public void unpacked(Descriptor layer, Digest chainId, boolean wasCommitted) {
    (wasCommitted ? reused : applied).incrementAndGet();
    lines.accept(IngestRefs.of(layer) + ": " + (wasCommitted ? "reused " : "unpacked ") + chainId);
    super.unpacked(layer, chainId, wasCommitted);
  }
}
