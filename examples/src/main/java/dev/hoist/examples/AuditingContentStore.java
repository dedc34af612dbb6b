package dev.hoist.examples;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link ContentStore} of your own: it keeps blobs in another store and records which blobs were
 * committed and deleted, in order (an audit trail). Such a store must still behave as every store
 * does; {@code AuditingContentStoreTest} in this module's {@code src/test} proves it by
 * implementing {@code dev.hoist.testing.content.ContentStoreContract} from {@code
 * dev.hoist:hoist-testing}, as the README's "Testing your own store" shows. Thread-safe when the
 * store it wraps is.
 */
public final class AuditingContentStore implements ContentStore {

  private final ContentStore blobs;
  private final List<String> trail = new CopyOnWriteArrayList<>();

  /**
   * A store that keeps its blobs in {@code blobs}.
   *
   * @param blobs where the bytes go
   */
  public AuditingContentStore(ContentStore blobs) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
  }

  /** {@return the audit trail so far: {@code commit <digest>} and {@code delete <digest>} lines} */
  public List<String> trail() {
    return List.copyOf(trail);
  }

  @Override
  public SeekableByteChannel open(Descriptor desc) throws IOException {
    return blobs.open(desc);
  }

  @Override
  public ContentWriter writer(String ref, Descriptor desc) throws IOException {
    return new AuditedWriter(blobs.writer(ref, desc), trail::add);
  }

  @Override
  public ContentInfo info(Digest digest) throws IOException {
    return blobs.info(digest);
  }

  @Override
  public ContentInfo update(Digest digest, Map<String, String> labels) throws IOException {
    return blobs.update(digest, labels);
  }

  @Override
  public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor)
      throws IOException {
    blobs.walk(filter, visitor);
  }

  @Override
  public void deleteBlob(Digest digest) throws IOException {
    blobs.deleteBlob(digest);
    trail.add("delete " + digest);
  }

  @Override
  public List<IngestStatus> ingests() throws IOException {
    return blobs.ingests();
  }

  @Override
  public IngestStatus status(String ref) throws IOException {
    return blobs.status(ref);
  }

  @Override
  public void abort(String ref) throws IOException {
    blobs.abort(ref);
  }

  /** Passes everything to the wrapped writer and records a commit once it succeeded. */
  private static final class AuditedWriter implements ContentWriter {
    private final ContentWriter w;
    private final Consumer<String> trail;

    AuditedWriter(ContentWriter w, Consumer<String> trail) {
      this.w = w;
      this.trail = trail;
    }

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
      w.truncate(size);
    }

    @Override
    public void commit(long size, Digest expected, Map<String, String> labels) throws IOException {
      Digest written = w.digest();
      w.commit(size, expected, labels);
      trail.accept("commit " + written);
    }

    @Override
    public boolean isOpen() {
      return w.isOpen();
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
