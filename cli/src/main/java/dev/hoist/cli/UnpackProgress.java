package dev.hoist.cli;

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
final class UnpackProgress implements ProgressListener {

  private final ProgressListener fetch;
  private final Consumer<String> lines;
  final AtomicInteger applied = new AtomicInteger();
  final AtomicInteger reused = new AtomicInteger();

  UnpackProgress(ProgressListener fetch, Consumer<String> lines) {
    this.fetch = fetch;
    this.lines = lines;
  }

  @Override
  public void resolving(String ref) {
    fetch.resolving(ref);
  }

  @Override
  public void resolved(String ref, Descriptor root) {
    fetch.resolved(ref, root);
  }

  @Override
  public void waiting(Descriptor desc) {
    fetch.waiting(desc);
  }

  @Override
  public void downloading(Descriptor desc, long resumeOffset) {
    fetch.downloading(desc, resumeOffset);
  }

  @Override
  public void bytesTransferred(Descriptor desc, long count) {
    fetch.bytesTransferred(desc, count);
  }

  @Override
  public void done(Descriptor desc) {
    fetch.done(desc);
  }

  @Override
  public void exists(Descriptor desc) {
    fetch.exists(desc);
  }

  @Override
  public void failed(Descriptor desc, Throwable error) {
    fetch.failed(desc, error);
  }

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
