package dev.hoist.content;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link ContentStore} that hands every call to another store: tests extend it and override only
 * the calls they observe or change.
 */
public abstract class ForwardingContentStore implements ContentStore {

  protected final ContentStore delegate;

  protected ForwardingContentStore(ContentStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public SeekableByteChannel open(Descriptor desc) throws IOException {
    return delegate.open(desc);
  }

  @Override
  public ContentWriter writer(String ref, Descriptor desc) throws IOException {
    return delegate.writer(ref, desc);
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
  public void deleteBlob(Digest digest) throws IOException {
    delegate.deleteBlob(digest);
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
