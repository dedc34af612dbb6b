package dev.hoist.client.internal;

import dev.hoist.client.ProgressListener;
import dev.hoist.content.ContentStore;
import dev.hoist.diff.Applier;
import dev.hoist.diff.DiffIds;
import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnknownException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotLabels;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.spec.Descriptor;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an image's layers into committed snapshots named by chain ID, as containerd's unpacker: a
 * layer whose chain ID is committed is skipped (and its blob never fetched); otherwise, under the
 * snapshotter's lock on the chain ID, it is prepared on the parent chain, applied, checked against
 * the config's DiffID and committed. A commit that finds the name taken (another process won
 * without the lock) uses the existing snapshot. A failed layer leaves its active snapshot removed
 * and nothing of it committed.
 */
public final class Unpacker {

  private static final Logger log = LoggerFactory.getLogger(Unpacker.class);

  private final ContentStore store;
  final Snapshotter snapshotter;
  private final Applier applier;
  final ProgressListener progress;

  /**
   * An unpacker over the given parts.
   *
   * @param store where layer blobs are read and labelled
   * @param snapshotter where snapshots are made
   * @param applier what applies a layer
   * @param progress receives unpacking and unpacked events
   */
  public Unpacker(
      ContentStore store, Snapshotter snapshotter, Applier applier, ProgressListener progress) {
    this.store = store;
    this.snapshotter = snapshotter;
    this.applier = applier;
    this.progress = progress;
  }

  /** What {@link #unpack} did: layers applied and reused. */
  public record Result(int applied, int reused) {}

  /**
   * Unpacks {@code plan}, taking blobs from {@code source}, then labels the config with the top
   * snapshot.
   *
   * @throws DigestMismatchException naming the layer index when a DiffID differs
   * @throws CancellationException when the thread is interrupted
   */
  public Result unpack(UnpackPlan plan, LayerSource source) {
    List<Descriptor> layers = plan.layers();
    int firstMissing = firstUncommitted(plan);
    List<Integer> needed = new ArrayList<>();
    for (int i = firstMissing; i < layers.size(); i++) {
      needed.add(i);
    }
    source.start(needed.stream().mapToInt(Integer::intValue).toArray());
    for (int i = 0; i < firstMissing; i++) {
      progress.unpacked(layers.get(i), plan.chainIds().get(i), true);
    }
    int applied =
        snapshotter.preparesOnPending() && layers.size() - firstMissing > 1
            ? new PipelinedUnpack(this, plan, source, firstMissing).run()
            : sequential(plan, source, firstMissing);
    labelConfig(plan);
    return new Result(applied, layers.size() - applied);
  }

  private int sequential(UnpackPlan plan, LayerSource source, int first) {
    int applied = 0;
    for (int i = first; i < plan.layers().size(); i++) {
      try {
        source.await(i);
        if (applyLayer(plan, i)) {
          applied++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("unpack of " + plan.image() + " interrupted");
      } catch (RuntimeException | IOException e) {
        throw classify(plan, i, e);
      }
    }
    return applied;
  }

  /** The exception to throw for {@code e}, thrown while applying layer {@code i}. */
  static RuntimeException classify(UnpackPlan plan, int i, Exception e) {
    if (e instanceof HoistException || e instanceof CancellationException) {
      return (RuntimeException) e;
    }
    Descriptor layer = plan.layers().get(i);
    String what = e instanceof IOException ? e.getMessage() : e.toString();
    return new UnknownException(
        "image " + plan.image() + ": layer " + i + " (" + layer.digest() + "): " + what, e);
  }

  /** Index of the lowest layer whose chain is not committed; a committed chain's parents are. */
  private int firstUncommitted(UnpackPlan plan) {
    for (int i = plan.chainIds().size() - 1; i >= 0; i--) {
      if (committed(plan.chainIds().get(i).toString())) {
        return i + 1;
      }
    }
    return 0;
  }

  boolean committed(String name) {
    try {
      return snapshotter.stat(name).kind() == Kind.COMMITTED;
    } catch (NotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UnknownException("snapshot " + name + ": " + e.getMessage(), e);
    }
  }

  /** Applies layer {@code i}; false when another unpack committed its chain meanwhile. */
  private boolean applyLayer(UnpackPlan plan, int i) throws IOException {
    Digest chain = plan.chainIds().get(i);
    String parent = i == 0 ? null : plan.chainIds().get(i - 1).toString();
    try (Closeable lock = snapshotter.lock(chain.toString())) {
      if (committed(chain.toString())) {
        progress.unpacked(plan.layers().get(i), chain, true);
        return false;
      }
      String key = newKey(chain);
      List<Mount> mounts = snapshotter.prepare(key, parent, transientLabels(chain));
      return applyAndCommit(plan, i, key, mounts, null);
    }
  }

  /** A new key for the active snapshot that becomes {@code chain}. */
  static String newKey(Digest chain) {
    return "extract-"
        + System.nanoTime()
        + "-"
        // Unique, not secret (a snapshot key names no secret): no SecureRandom to seed.
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
        + " "
        + chain;
  }

  static Map<String, String> transientLabels(Digest chain) {
    return Map.of(SnapshotLabels.TRANSIENT, chain.toString());
  }

  /**
   * Applies layer {@code i} onto the prepared active snapshot {@code key}, checks its DiffID, and
   * commits it; removes {@code key} when anything fails. With {@code parentCommitted} (a pipelined
   * unpack), the applier may read the parent only once that completes, and the commit waits for it.
   * The caller holds the chain's lock. Returns false when another unpack committed the chain first.
   */
  boolean applyAndCommit(
      UnpackPlan plan, int i, String key, List<Mount> mounts, CompletableFuture<?> parentCommitted)
      throws IOException {
    Descriptor layer = plan.layers().get(i);
    Digest chain = plan.chainIds().get(i);
    progress.unpacking(layer);
    boolean done = false;
    try {
      Digest diffId =
          parentCommitted == null
              ? applier.apply(layer, store, mounts)
              : applier.apply(layer, store, mounts, parentCommitted);
      DiffIds.check(plan.image(), i, layer, plan.diffIds().get(i), diffId);
      if (parentCommitted != null) {
        Applier.awaitParent(layer, parentCommitted);
      }
      try {
        snapshotter.commit(chain.toString(), key, Map.of());
        done = true;
      } catch (AlreadyExistsException e) {
        log.debug("snapshot {} committed by another unpack; using it", chain);
      }
    } finally {
      if (!done) {
        removeQuietly(key);
      }
    }
    label(layer.digest(), Map.of(SnapshotLabels.UNCOMPRESSED, plan.diffIds().get(i).toString()));
    progress.unpacked(layer, chain, false);
    return done;
  }

  private void labelConfig(UnpackPlan plan) {
    if (plan.top() != null) {
      label(
          plan.config().digest(),
          Map.of(SnapshotLabels.gcRefSnapshot(snapshotter.name()), plan.top().toString()));
    }
  }

  private void label(Digest digest, Map<String, String> labels) {
    try {
      store.update(digest, labels);
    } catch (NotFoundException e) {
      log.debug("not labelling {}: not in the store", digest);
    } catch (IOException e) {
      throw new UnknownException("label " + digest + ": " + e.getMessage(), e);
    }
  }

  private void removeQuietly(String key) {
    try {
      snapshotter.remove(key);
    } catch (IOException | RuntimeException e) {
      log.warn("could not remove active snapshot {}: {}", key, e.toString());
    }
  }
}
