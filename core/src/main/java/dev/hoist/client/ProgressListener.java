package dev.hoist.client;

import dev.hoist.remotes.FetchListener;
import dev.hoist.spec.Descriptor;

/**
 * Receives fetch progress: enough to draw {@code ctr content fetch}'s table. Called from fetch
 * threads concurrently; implementations must be fast, must not block and should not throw (an
 * exception is logged and ignored). Every method has a no-op default.
 *
 * <p>The per-blob events ({@code downloading}, {@code bytesTransferred}, {@code done}, {@code
 * exists}, {@code failed}) are declared by {@link FetchListener}, the part {@link
 * dev.hoist.remotes.FetchHandler} reports to; this interface adds the client's resolve, queue and
 * unpack events.
 */
public interface ProgressListener extends FetchListener {

  /** A listener that ignores every event. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * Resolving {@code ref} has started.
   *
   * @param ref the normalised reference
   */
  default void resolving(String ref) {}

  /**
   * {@code ref} resolved to {@code root}.
   *
   * @param ref the normalised reference
   * @param root the descriptor the reference points to, where the walk starts
   */
  default void resolved(String ref, Descriptor root) {}

  /**
   * {@code desc} is queued, waiting for a download slot.
   *
   * @param desc the blob waiting
   */
  default void waiting(Descriptor desc) {}

  /**
   * Applying {@code layer} has started: its blob is stored and its active snapshot prepared. With a
   * snapshotter that {@linkplain dev.hoist.snapshots.Snapshotter#preparesOnPending prepares on
   * pending parents}, two layers are applied at once, so the events of two layers interleave and
   * come from the unpack's threads.
   *
   * @param layer the layer descriptor
   */
  default void unpacking(Descriptor layer) {}

  /**
   * {@code layer} is in the committed snapshot {@code chainId}: applied now, or {@code reused} when
   * the snapshot was already committed (nothing fetched or applied).
   *
   * @param layer the layer descriptor
   * @param chainId the snapshot's name
   * @param reused true when nothing was applied
   */
  default void unpacked(Descriptor layer, dev.hoist.digest.Digest chainId, boolean reused) {}
}
