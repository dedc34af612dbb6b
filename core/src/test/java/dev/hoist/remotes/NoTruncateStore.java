package dev.hoist.remotes;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A store whose writers cannot truncate, as a store that closes its writer on a failed commit
 * behaves; everything else is delegated to a real store.
 */
final class NoTruncateStore implements ContentStore {

  private final ContentStore delegate;

  NoTruncateStore(ContentStore delegate) {
    this.delegate = delegate;
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

  @Override
  public SeekableByteChannel open(dev.hoist.spec.Descriptor desc) throws IOException {
    return delegate.open(desc);
  }

  @Override
  public ContentInfo info(Digest digest) throws IOException {
    return delegate.info(digest);
  }

  @Override
  public ContentInfo update(Digest digest, Map<String, String> labels) throws IOException {
    return delegate.update(digest, labels);
  }

  @Override
  public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor)
      throws IOException {
    delegate.walk(filter, visitor);
  }

  @Override
  public void delete(Digest digest) throws IOException {
    delegate.delete(digest);
  }

  @Override
  public List<IngestStatus> ingests() throws IOException {
    return delegate.ingests();
  }

  @Override
  public IngestStatus status(String ref) throws IOException {
    return delegate.status(ref);
  }

  @Override
  public void abort(String ref) throws IOException {
    delegate.abort(ref);
  }
}
