package dev.hoist.client.internal;

import java.io.IOException;

/**
 * Makes layer blobs available to an unpack. A pull starts downloads for the layers it needs and
 * waits for each in turn, so layer i is applied as soon as its blob and chain i-1 are ready; an
 * unpack of an already fetched image only checks that the blobs are there.
 */
public interface LayerSource {

  /**
   * Starts making the blobs of {@code indexes} (ascending) available. Called once, before {@link
   * #await}.
   *
   * @param indexes the layers that will be applied
   */
  void start(int[] indexes);

  /**
   * Blocks until layer {@code index}'s blob is in the store.
   *
   * @param index one of the indexes given to {@link #start}
   * @throws IOException when the blob cannot be fetched
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void await(int index) throws IOException, InterruptedException;
}
