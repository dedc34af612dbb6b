package dev.hoist.client;

import dev.hoist.spec.Descriptor;

/**
 * Receives fetch progress: enough to draw {@code ctr content fetch}'s table. Called from fetch
 * threads concurrently; implementations must be fast, must not block and should not throw (an
 * exception is logged and ignored). Every method has a no-op default.
 */
public interface ProgressListener {

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
   * Downloading {@code desc} started; {@code resumeOffset} bytes were already in the store.
   *
   * @param desc the blob being downloaded
   * @param resumeOffset the bytes kept from an earlier partial download; 0 for a fresh start
   */
  default void downloading(Descriptor desc, long resumeOffset) {}

  /**
   * {@code count} more bytes of {@code desc} were written.
   *
   * @param desc the blob being downloaded
   * @param count the bytes written since the previous event for {@code desc}
   */
  default void bytesTransferred(Descriptor desc, long count) {}

  /**
   * {@code desc} is verified and committed.
   *
   * @param desc the blob now in the store
   */
  default void done(Descriptor desc) {}

  /**
   * {@code desc} was already in the store; nothing was downloaded.
   *
   * @param desc the blob already present
   */
  default void exists(Descriptor desc) {}

  /**
   * Fetching {@code desc} failed.
   *
   * @param desc the blob that failed
   * @param error why it failed
   */
  default void failed(Descriptor desc, Throwable error) {}

  /**
   * Applying {@code layer} has started: its blob is stored and its active snapshot prepared.
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
