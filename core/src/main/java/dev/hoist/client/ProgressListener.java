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

  /** Resolving {@code ref} has started. */
  default void resolving(String ref) {}

  /** {@code ref} resolved to {@code root}. */
  default void resolved(String ref, Descriptor root) {}

  /** {@code desc} is queued, waiting for a download slot. */
  default void waiting(Descriptor desc) {}

  /** Downloading {@code desc} started; {@code resumeOffset} bytes were already in the store. */
  default void downloading(Descriptor desc, long resumeOffset) {}

  /** {@code count} more bytes of {@code desc} were written. */
  default void bytesTransferred(Descriptor desc, long count) {}

  /** {@code desc} is verified and committed. */
  default void done(Descriptor desc) {}

  /** {@code desc} was already in the store; nothing was downloaded. */
  default void exists(Descriptor desc) {}

  /** Fetching {@code desc} failed. */
  default void failed(Descriptor desc, Throwable error) {}

  /** Applying {@code layer} has started: its blob is stored and its active snapshot prepared. */
  default void unpacking(Descriptor layer) {}

  /**
   * {@code layer} is in the committed snapshot {@code chainId}: applied now, or {@code reused}
   * when the snapshot was already committed (nothing fetched or applied).
   */
  default void unpacked(Descriptor layer, dev.hoist.digest.Digest chainId, boolean reused) {}
}
