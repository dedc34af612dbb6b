package dev.hoist.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the bytes of one blob from a given offset, for {@link Blobs#copy}: a remote fetch, a
 * file, or a stream that skips its prefix.
 */
@FunctionalInterface
public interface BlobSource {

  /**
   * Opens the blob's content starting at {@code offset}; the stream's first byte is byte {@code
   * offset} of the blob. The caller closes the stream.
   */
  InputStream open(long offset) throws IOException;
}
