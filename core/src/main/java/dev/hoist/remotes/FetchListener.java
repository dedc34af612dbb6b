package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;

/**
 * Receives the per-blob events of a {@link FetchHandler}: a download starting, its bytes, and its
 * outcome. Called from fetch threads concurrently; implementations must be fast, must not block and
 * should not throw (an exception is logged and ignored). Every method has a no-op default.
 *
 * <p>{@code dev.hoist.client.ProgressListener} extends this with the client's resolve, queue and
 * unpack events; the handler knows only this part, so {@code remotes} does not depend on {@code
 * client}.
 */
public interface FetchListener {

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
}
