package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/** A fetcher that can start part way through, used to resume a partial ingest. */
public interface RangeFetcher extends Fetcher {

  /** Opens the content from byte {@code offset}; the stream's first byte is byte {@code offset}. */
  InputStream fetch(Descriptor desc, long offset) throws IOException;

  @Override
  default InputStream fetch(Descriptor desc) throws IOException {
    return fetch(desc, 0);
  }
}
