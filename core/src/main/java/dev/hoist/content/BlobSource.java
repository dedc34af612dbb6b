package dev.hoist.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the bytes of one blob from a given offset, for {@link Blobs#copy}: a remote fetch, a file,
 * or a stream that skips its prefix.
 */
@FunctionalInterface
public interface BlobSource {

  /**
   * Opens the blob's content starting at {@code offset}; the stream's first byte is byte {@code
   * offset} of the blob. The caller closes the stream.
   *
   * @param offset the first byte wanted, from 0 to the blob's size
   * @return the blob's bytes from {@code offset}
   * @throws IOException when the source cannot be opened; {@link Blobs#copy} reports it as {@link
   *     dev.hoist.errors.UnavailableException}
   */
  InputStream open(long offset) throws IOException;
}
