package dev.hoist.remotes;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.LongConsumer;

/** A fetcher that can start part way through, used to resume a partial ingest. */
public interface RangeFetcher extends Fetcher {

  /**
   * Opens the content from byte {@code offset}; the stream's first byte is byte {@code offset}.
   *
   * @param desc the blob to open
   * @param offset the first byte wanted, from 0 to {@code desc.size()}
   * @return its content from {@code offset}; the caller closes it
   * @throws dev.hoist.errors.NotFoundException when the remote does not have it
   * @throws IOException when the remote cannot be read
   */
  InputStream fetch(Descriptor desc, long offset) throws IOException;

  @Override
  default InputStream fetch(Descriptor desc) throws IOException {
    return fetch(desc, 0);
  }

  /**
   * Fetches the missing ranges of {@code desc} straight into a positional writer, in parallel when
   * the remote allows; see {@link dev.hoist.content.BlobSource#fillGaps}. The default declines, and
   * the caller reads each gap through {@link #fetch(Descriptor, long)}.
   *
   * @param desc the blob
   * @param w the writer; {@link ContentWriter#supportsWriteAt()} is true
   * @param gaps the missing ranges, sorted and disjoint
   * @param progress receives the count of bytes written
   * @return false when the gaps are left to {@link #fetch(Descriptor, long)}
   * @throws IOException when the remote or the writer fails
   */
  default boolean fetchInto(
      Descriptor desc, ContentWriter w, List<ByteRange> gaps, LongConsumer progress)
      throws IOException {
    return false;
  }
}
