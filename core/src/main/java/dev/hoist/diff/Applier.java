package dev.hoist.diff;

import dev.hoist.content.ContentProvider;
import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Applies one layer onto mounted snapshot contents, as containerd's {@code diff.Applier}. The
 * layer's bytes come from a {@link ContentProvider}; the uncompressed stream is hashed while it is
 * applied. Implementations are thread-safe.
 *
 * <p>An applier never changes an existing non-directory file in place: it replaces the file (or,
 * before giving a hard link entry's metadata to an inode that other names share, gives the names a
 * private copy first). Snapshotters rely on this: an unpack's active snapshot may share its
 * parent's files by hard links ({@link dev.hoist.snapshots.SnapshotLabels#TRANSIENT}).
 */
@FunctionalInterface
public interface Applier {

  /**
   * Applies {@code layer} onto {@code mounts} (what {@link dev.hoist.snapshots.Snapshotter#prepare}
   * returned) and returns the digest of the uncompressed layer, its DiffID. The caller compares it
   * with the image config's; on a mismatch it discards the snapshot.
   *
   * @param layer the layer descriptor (its media type says how it is compressed)
   * @param provider where the layer blob is read from
   * @param mounts the active snapshot's mounts
   * @return the DiffID computed while applying
   * @throws IOException when reading the layer or writing the files fails
   * @throws dev.hoist.errors.InvalidArgumentException when the layer is malformed or hostile
   * @throws dev.hoist.errors.NotImplementedException when the mounts or media type are not
   *     supported
   * @throws dev.hoist.errors.DigestMismatchException when the applier was told the expected DiffID
   */
  Digest apply(Descriptor layer, ContentProvider provider, List<Mount> mounts) throws IOException;

  /**
   * As {@link #apply(Descriptor, ContentProvider, List)}, onto mounts from {@link
   * dev.hoist.snapshots.Snapshotter#prepareOnPending}: the parent's files may be read only once
   * {@code parentCommitted} has completed normally. This default waits for it, then applies; an
   * applier that reads the parent only for a few entries (an overlay diff) starts at once and waits
   * at the first such entry.
   *
   * @param layer the layer descriptor
   * @param provider where the layer blob is read from
   * @param mounts the active snapshot's mounts
   * @param parentCommitted completes when the parent is committed; exceptionally when it will not
   *     be
   * @return the DiffID computed while applying
   * @throws IOException when reading the layer or writing the files fails
   * @throws dev.hoist.errors.FailedPreconditionException when {@code parentCommitted} failed
   * @throws java.util.concurrent.CancellationException when the thread is interrupted
   */
  default Digest apply(
      Descriptor layer,
      ContentProvider provider,
      List<Mount> mounts,
      CompletionStage<?> parentCommitted)
      throws IOException {
    awaitParent(layer, parentCommitted);
    return apply(layer, provider, mounts);
  }

  /**
   * Waits until {@code parentCommitted} completes.
   *
   * @param layer the layer waiting, for messages
   * @param parentCommitted see {@link #apply(Descriptor, ContentProvider, List, CompletionStage)}
   * @throws dev.hoist.errors.FailedPreconditionException when it completed exceptionally or was
   *     cancelled
   * @throws java.util.concurrent.CancellationException when the thread is interrupted (its flag is
   *     set again)
   */
  static void awaitParent(Descriptor layer, CompletionStage<?> parentCommitted) {
    try {
      parentCommitted.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      java.util.concurrent.CancellationException c =
          new java.util.concurrent.CancellationException(
              "layer " + layer.digest() + ": interrupted waiting for its parent");
      c.initCause(e);
      throw c;
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      throw new FailedPreconditionException(
          "layer " + layer.digest() + ": its parent layer was not committed", e);
    }
  }
}
