package dev.hoist.client.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An unpack that applies two layers at once, for a snapshotter that can prepare on a parent not yet
 * committed ({@link dev.hoist.snapshots.Snapshotter#prepareOnPending}, overlay diffs): layer
 * <i>i</i>+1 is prepared on layer <i>i</i>'s active snapshot and applied while <i>i</i> still is;
 * it reads its parents only once <i>i</i> is committed, and is committed after it. Applying a layer
 * is inflate on one thread and file creation on another, and layers differ in which of the two
 * dominates (a layer of many small files, a layer of a few compressed large ones), so two layers at
 * once keep both cores busy where one leaves one idle.
 *
 * <p>Each layer still runs under its chain's lock, checked, prepared, applied, verified and
 * committed as in the sequential unpack; chains are committed bottom first. When a layer fails, the
 * layers above it fail too (their parent is missing) and their active snapshots are removed; the
 * exception of the lowest failed layer is thrown once every layer has stopped, so nothing is
 * written after {@link #run} returns.
 */
final class PipelinedUnpack {

  /** Layers in flight at once: more would only share the same two cores. */
  static final int WIDTH = 2;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Unpacker unpacker;
  private final UnpackPlan plan;
  private final LayerSource source;
  private final int first;

  /** Per layer: the key of its active snapshot once prepared, or null when nothing was prepared. */
  private final List<CompletableFuture<String>> prepared = new ArrayList<>();

  /** Per layer: true once committed here, false when another unpack had committed it. */
  private final List<CompletableFuture<Boolean>> committed = new ArrayList<>();

  PipelinedUnpack(Unpacker unpacker, UnpackPlan plan, LayerSource source, int first) {
    this.unpacker = unpacker;
    this.plan = plan;
    this.source = source;
    this.first = first;
    for (int i = 0; i < plan.layers().size(); i++) {
      prepared.add(new CompletableFuture<>());
      committed.add(new CompletableFuture<>());
    }
  }

  /** Applies layers {@code first} and above; returns how many were applied here. */
  int run() {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            WIDTH,
            r -> {
              Thread t = new Thread(r, "hoist-unpack-layer-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      for (int i = first; i < plan.layers().size(); i++) {
        int index = i;
        pool.execute(() -> layer(index));
      }
      pool.shutdown();
      awaitAll(pool);
    } finally {
      pool.shutdownNow();
      awaitTermination(pool);
    }
    int applied = 0;
    for (int i = first; i < plan.layers().size(); i++) {
      try {
        if (committed.get(i).get()) {
          applied++;
        }
      } catch (ExecutionException e) {
        throw rethrow(e.getCause()); // the lowest failed layer's: see layer()
      } catch (InterruptedException e) {
        throw new IllegalStateException("unreachable: every layer has completed", e);
      }
    }
    return applied;
  }

  /** Waits for every layer; on an interrupt, interrupts them, waits, and throws. */
  private void awaitAll(ExecutorService pool) {
    try {
      CompletableFuture.allOf(
              committed.subList(first, committed.size()).toArray(new CompletableFuture<?>[0]))
          .exceptionally(e -> null)
          .get();
    } catch (InterruptedException e) {
      pool.shutdownNow();
      awaitTermination(pool);
      Thread.currentThread().interrupt();
      throw new CancellationException("unpack of " + plan.image() + " interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: failures are mapped to null", e);
    }
  }

  private static void awaitTermination(ExecutorService pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.DAYS)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs layer {@code i}, completing its two futures whatever happens. */
  private void layer(int i) {
    try {
      committed.get(i).complete(apply(i));
    } catch (Throwable t) {
      // A layer whose parent failed reports the parent's failure: the lowest is the cause.
      Throwable parentFailure = i > first ? failure(committed.get(i - 1)) : null;
      Throwable reported =
          parentFailure != null
              ? parentFailure
              : t instanceof Exception x ? Unpacker.classify(plan, i, x) : t;
      prepared.get(i).completeExceptionally(reported);
      committed.get(i).completeExceptionally(reported);
    }
  }

  private boolean apply(int i) throws IOException, InterruptedException {
    Descriptor layer = plan.layers().get(i);
    Digest chain = plan.chainIds().get(i);
    String parentKey = null;
    if (i > first) {
      parentKey = join(prepared.get(i - 1)); // throws when the parent failed before preparing
    }
    source.await(i);
    try (Closeable lock = unpacker.snapshotter.lock(chain.toString())) {
      if (unpacker.committed(chain.toString())) {
        prepared.get(i).complete(null);
        unpacker.progress.unpacked(layer, chain, true);
        return false;
      }
      String parent = i == 0 ? null : plan.chainIds().get(i - 1).toString();
      String key = Unpacker.newKey(chain);
      CompletableFuture<Boolean> parentDone =
          i > first ? committed.get(i - 1) : CompletableFuture.completedFuture(true);
      List<Mount> mounts = null;
      if (parentKey != null && !parentDone.isDone()) {
        try {
          mounts =
              unpacker.snapshotter.prepareOnPending(
                  key, parent, parentKey, Unpacker.transientLabels(chain));
        } catch (NotFoundException e) {
          // the parent was committed (or removed) meanwhile: prepare on it as usual
        }
      }
      if (mounts == null) {
        join(parentDone);
        mounts = unpacker.snapshotter.prepare(key, parent, Unpacker.transientLabels(chain));
      }
      prepared.get(i).complete(key);
      return unpacker.applyAndCommit(plan, i, key, mounts, parentDone);
    }
  }

  private static <T> T join(CompletableFuture<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  /** {@code t}, which layer() made a RuntimeException or an Error, to throw as it is. */
  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof Error err) {
      throw err;
    }
    return (RuntimeException) t;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    if (!f.isCompletedExceptionally()) {
      return null;
    }
    try {
      f.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    } catch (CancellationException e) {
      return e;
    }
  }
}
