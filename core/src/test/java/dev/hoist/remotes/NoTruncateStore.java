package dev.hoist.remotes;

import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.ForwardingContentStore;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A store whose writers cannot truncate, as a store that closes its writer on a failed commit
 * behaves; everything else is delegated to a real store.
 */
final class NoTruncateStore extends ForwardingContentStore {

  NoTruncateStore(ContentStore delegate) {
    super(delegate);
  }

  @Override
  public ContentWriter writer(String ref, dev.hoist.spec.Descriptor desc) throws IOException {
    ContentWriter w = delegate.writer(ref, desc);
    return new ContentWriter() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        return w.write(src);
      }

      @Override
      public IngestStatus status() throws IOException {
        return w.status();
      }

      @Override
      public Digest digest() {
        return w.digest();
      }

      @Override
      public void truncate(long size) throws IOException {
        throw new IOException("truncate not supported after a failed commit");
      }

      @Override
      public void commit(long size, Digest expected, Map<String, String> labels)
          throws IOException {
        w.commit(size, expected, labels);
      }

      @Override
      public boolean isOpen() {
        return w.isOpen();
      }

      @Override
      public void close() throws IOException {
        w.close();
      }
    };
  }
}
