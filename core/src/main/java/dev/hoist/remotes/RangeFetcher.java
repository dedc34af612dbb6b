package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

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
}
