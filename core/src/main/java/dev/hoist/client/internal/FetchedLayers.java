package dev.hoist.client.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnknownException;
import dev.hoist.images.Handler;
import dev.hoist.images.HandlerSignal;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Layers downloaded while earlier ones are applied (docker's download manager): {@link #start}
 * queues every needed layer, bottom first, at most {@code limit} at once; {@link #await} returns as
 * soon as that layer is stored, or throws the first download failure of any layer (fail fast).
 * {@link #cancel} stops queued downloads.
 */
public final class FetchedLayers implements LayerSource {

  private final List<Descriptor> layers;
  private final Handler fetch;
  private final Executor executor;
  private final Semaphore slots;
  private final CompletableFuture<?>[] done;
  private final CompletableFuture<Void> firstFailure = new CompletableFuture<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();

  /**
   * Layers fetched with {@code fetch} on {@code executor}.
   *
   * @param layers the image's layers
   * @param fetch the handler that stores one blob (verified)
   * @param executor runs the downloads
   * @param limit downloads at once
   */
  public FetchedLayers(List<Descriptor> layers, Handler fetch, Executor executor, int limit) {
    this.layers = layers;
    this.fetch = fetch;
    this.executor = executor;
    this.slots = new Semaphore(Math.max(1, limit), true);
    this.done = new CompletableFuture<?>[layers.size()];
  }

  @Override
  public void start(int[] indexes) {
    for (int i : indexes) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      done[i] = f;
      Descriptor layer = layers.get(i);
      executor.execute(() -> run(layer, f));
    }
  }

  private void run(Descriptor layer, CompletableFuture<Void> f) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      f.cancel(false);
      return;
    }
    try {
      if (cancelled.get()) {
        f.cancel(false);
        return;
      }
      try {
        fetch.handle(layer);
      } catch (HandlerSignal signal) {
        // a base handler chose to skip the blob; the applier will find out whether it is there
      }
      f.complete(null);
    } catch (Throwable e) {
      f.completeExceptionally(e);
      firstFailure.completeExceptionally(e);
    } finally {
      slots.release();
    }
  }

  @Override
  public void await(int index) throws IOException, InterruptedException {
    CompletableFuture<?> f = done[index];
    try {
      CompletableFuture.anyOf(f, firstFailure).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HoistException) {
        throw (HoistException) cause;
      }
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new UnknownException("fetch " + layers.get(index).digest() + ": " + cause, cause);
    }
  }

  /**
   * Stops downloads that have not started; running ones finish or are interrupted by their pool.
   */
  public void cancel() {
    cancelled.set(true);
  }
}
