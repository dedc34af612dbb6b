package dev.hoist.content;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.LongConsumer;

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

  /**
   * Writes the bytes of {@code gaps} into {@code w} with {@link ContentWriter#writeAt}, in any
   * order and from any number of threads, returning once every gap is written or the first failure
   * is known. A source that cannot do better than reading in order returns false without writing,
   * and {@link Blobs#copy} reads each gap through {@link #open} instead.
   *
   * <p>When it fails or is interrupted, bytes already received should be written before it returns,
   * so that a later fetch does not ask for them again.
   *
   * @param w the writer; {@link ContentWriter#supportsWriteAt()} is true
   * @param gaps the missing ranges, sorted and disjoint
   * @param progress receives the count of bytes written; calls are serialized by the caller
   * @return false when this source leaves the gaps to {@link #open}
   * @throws IOException when the source or the writer fails
   */
  default boolean fillGaps(ContentWriter w, List<ByteRange> gaps, LongConsumer progress)
      throws IOException {
    return false;
  }
}
