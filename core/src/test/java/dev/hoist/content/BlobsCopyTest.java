package dev.hoist.content;

import static dev.hoist.content.TestBlobs.layer;
import static dev.hoist.content.TestBlobs.randomBytes;
import static dev.hoist.content.TestBlobs.readAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlobsCopyTest {

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final byte[] data = randomBytes(3 * 1024 * 1024 + 5, 9);
  private final Descriptor desc = layer(data);
  private final List<Long> opened = new ArrayList<>();
  private final AtomicLong progressed = new AtomicLong();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private BlobSource source(byte[] content) {
    return offset -> {
      opened.add(offset);
      return new ByteArrayInputStream(content, (int) offset, content.length - (int) offset);
    };
  }

  private boolean copy(ContentWriter w, BlobSource src) {
    return Blobs.copy(w, src, desc.size(), desc.digest(), Map.of("k", "v"), progressed::addAndGet);
  }

  private void keepPartial(int bytes) throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      w.write(ByteBuffer.wrap(data, 0, bytes));
    }
  }

  @Test
  void copiesVerifiesAndCommitsWithLabels() throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      assertThat(copy(w, source(data))).as("committed by this copy").isTrue();
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.info(desc.digest()).labels()).containsEntry("k", "v");
    assertThat(opened).containsExactly(0L);
    assertThat(progressed).hasValue(data.length);
  }

  @Test
  void resumesFromWriterOffsetAndCopiesOnlyTheRest() throws IOException {
    keepPartial(1_000_000);

    try (ContentWriter w = store.writer("ref", desc)) {
      copy(w, source(data));
    }

    assertThat(opened).containsExactly(1_000_000L);
    assertThat(progressed).hasValue(data.length - 1_000_000L);
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void commitsWithoutOpeningSourceWhenIngestIsComplete() throws IOException {
    keepPartial(data.length);

    try (ContentWriter w = store.writer("ref", desc)) {
      copy(
          w,
          offset -> {
            throw new AssertionError("source must not be opened");
          });
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(progressed).hasValue(0);
  }

  @Test
  void restartsFromZeroWhenIngestHoldsMoreThanSize() throws IOException {
    byte[] small = "twelve bytes".getBytes(UTF_8);
    Descriptor smallDesc = layer(small);
    try (ContentWriter w = store.writer("ref", smallDesc)) {
      w.write(ByteBuffer.wrap("far more than twelve bytes".getBytes(UTF_8)));
    }

    try (ContentWriter w = store.writer("ref", smallDesc)) {
      Blobs.copy(w, source(small), small.length, smallDesc.digest(), Map.of(), n -> {});
    }

    assertThat(opened).containsExactly(0L);
    assertThat(readAll(store, smallDesc)).isEqualTo(small);
  }

  @Test
  void shortSourceIsUnexpectedEofAndKeepsPartialIngest() throws IOException {
    byte[] truncated = java.util.Arrays.copyOf(data, 2_000_000);

    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(() -> copy(w, source(truncated)))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("unexpected EOF")
          .hasMessageContaining("got 2000000 of " + data.length + " bytes");
    }

    assertThat(store.exists(desc.digest())).isFalse();
    assertThat(store.status("ref").offset()).isEqualTo(2_000_000);
  }

  @Test
  void failingSourceIsUnavailableAndKeepsWhatWasWritten() throws IOException {
    BlobSource breaksAfterOneMiB =
        offset ->
            new InputStream() {
              private int pos;

              @Override
              public int read() throws IOException {
                if (pos >= 1024 * 1024) {
                  throw new IOException("connection reset");
                }
                return data[pos++] & 0xff;
              }
            };

    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(() -> copy(w, breaksAfterOneMiB))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("connection reset");
    }

    assertThat(store.status("ref").offset()).isEqualTo(1024 * 1024);
  }

  @Test
  void sourceOpenFailureIsUnavailable() throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(
              () ->
                  copy(
                      w,
                      offset -> {
                        throw new IOException("connect refused");
                      }))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("connect refused")
          .hasMessageContaining(desc.digest().toString());
    }
  }

  @Test
  void wrongBytesFailCommitWithDigestMismatch() throws IOException {
    byte[] other = randomBytes(data.length, 10);

    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(() -> copy(w, source(other)))
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(desc.digest().toString());
    }

    assertThat(store.exists(desc.digest())).isFalse();
  }

  @Test
  void contentCommittedMeanwhileCountsAsSuccess() throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      TestBlobs.commit(store, "other-ref", data);

      assertThat(copy(w, source(data))).as("committed by this copy").isFalse();
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void fillsMegabyteChunksFromStreamsThatReturnSixteenKiBPerRead() throws IOException {
    List<Integer> writes = new ArrayList<>();
    BlobSource trickling =
        offset ->
            new ByteArrayInputStream(data) {
              @Override
              public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 16 * 1024));
              }
            };

    try (ContentWriter w = new RecordingWriter(store.writer("ref", desc), writes)) {
      copy(w, trickling);
    }

    assertThat(writes).hasSize(4);
    assertThat(writes.subList(0, 3)).containsOnly(Blobs.BUFFER_SIZE);
    assertThat(writes.get(3)).isEqualTo(5);
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void streamFromStartSkipsBytesTheIngestHolds() throws IOException {
    keepPartial(1234);

    try (ContentWriter w = store.writer("ref", desc);
        InputStream full = new ByteArrayInputStream(data)) {
      Blobs.copy(w, full, data.length, desc.digest());
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void streamFromStartShorterThanOffsetIsUnexpectedEof() throws IOException {
    keepPartial(2_000_000);

    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(
              () ->
                  Blobs.copy(
                      w, new ByteArrayInputStream(data, 0, 1000), data.length, desc.digest()))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("unexpected EOF");
    }
    assertThat(store.status("ref").offset()).isEqualTo(2_000_000);
  }

  @Test
  void interruptedThreadCancelsCopyAndKeepsFlag() throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      Thread.currentThread().interrupt();

      assertThatThrownBy(() -> copy(w, source(data))).isInstanceOf(CancellationException.class);
      assertThat(Thread.interrupted()).isTrue();
    }
    assertThat(store.exists(desc.digest())).isFalse();
  }

  @Test
  void localWriteFailureIsUnknownAndNamesDigest() throws IOException {
    ContentWriter failing =
        new RecordingWriter(store.writer("ref", desc), new ArrayList<>()) {
          @Override
          public int write(ByteBuffer src) throws IOException {
            throw new IOException("disk full");
          }
        };

    try (failing) {
      assertThatThrownBy(() -> copy(failing, source(data)))
          .isInstanceOf(dev.hoist.errors.UnknownException.class)
          .hasMessageContaining("disk full")
          .hasMessageContaining(desc.digest().toString());
    }
    assertThat(store.exists(desc.digest())).isFalse();
  }

  @Test
  void rejectsNegativeSize() throws IOException {
    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(() -> Blobs.copy(w, source(data), -1, desc.digest(), Map.of(), n -> {}))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void emptyBlobCommitsWithoutReading() throws IOException {
    Descriptor empty = Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(new byte[0]), 0);

    try (ContentWriter w = store.writer("empty", empty)) {
      Blobs.copy(
          w,
          offset -> {
            throw new AssertionError("nothing to read");
          },
          0,
          empty.digest(),
          Map.of(),
          n -> {});
    }

    assertThat(store.info(empty.digest()).size()).isZero();
  }

  /** Records the size of each write, delegating to a real writer. */
  private static class RecordingWriter implements ContentWriter {
    private final ContentWriter delegate;
    private final List<Integer> writes;

    RecordingWriter(ContentWriter delegate, List<Integer> writes) {
      this.delegate = delegate;
      this.writes = writes;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      writes.add(src.remaining());
      return delegate.write(src);
    }

    @Override
    public IngestStatus status() throws IOException {
      return delegate.status();
    }

    @Override
    public Digest digest() {
      return delegate.digest();
    }

    @Override
    public void truncate(long size) throws IOException {
      delegate.truncate(size);
    }

    @Override
    public void commit(long size, Digest expected, Map<String, String> labels) throws IOException {
      delegate.commit(size, expected, labels);
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
