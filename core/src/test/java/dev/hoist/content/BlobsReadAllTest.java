package dev.hoist.content;

import static dev.hoist.content.TestBlobs.layer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BlobsReadAllTest {

  private final InMemoryContentStore store = new InMemoryContentStore();

  @Test
  void readsCommittedBlob() throws IOException {
    byte[] data = "{\"schemaVersion\":2}".getBytes(UTF_8);
    Descriptor desc = TestBlobs.commit(store, "m", data);

    assertThat(Blobs.readAll(store, desc, 1024)).isEqualTo(data);
    assertThat(Blobs.readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void refusesDescriptorLargerThanLimitWithoutOpening() {
    Descriptor big = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("big"), 5_000_000);

    assertThatThrownBy(
            () ->
                Blobs.readAll(
                    d -> {
                      throw new AssertionError("must not open");
                    },
                    big,
                    4_393_216))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(big.digest().toString())
        .hasMessageContaining("4393216");
  }

  @Test
  void neverReadsPastLimitWhenStoredContentIsLonger() {
    HugeChannel channel = new HugeChannel(1L << 40);
    Descriptor unknownSize = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("x"), 0);

    assertThatThrownBy(() -> Blobs.readAll(d -> channel, unknownSize, 1024))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("1024");
    assertThat(channel.read).hasValue(0);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void storedSizeDifferingFromDescriptorFailsWithoutReading() {
    HugeChannel channel = new HugeChannel(1L << 40);
    Descriptor small = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("x"), 10);

    assertThatThrownBy(() -> Blobs.readAll(d -> channel, small, 1024))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("10");
    assertThat(channel.read).hasValue(0);
  }

  @Test
  void channelEndingEarlyIsUnexpectedEof() {
    HugeChannel lies =
        new HugeChannel(100) {
          @Override
          public int read(ByteBuffer dst) {
            return read.get() >= 40 ? -1 : super.read(dst);
          }
        };
    Descriptor desc = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256("x"), 100);

    assertThatThrownBy(() -> Blobs.readAll(d -> lies, desc, 1024))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("unexpected EOF");
  }

  @Test
  void missingBlobIsNotFound() {
    Descriptor missing = layer("absent".getBytes(UTF_8));

    assertThatThrownBy(() -> Blobs.readAll(store, missing, 1024))
        .isInstanceOf(NotFoundException.class);
  }

  /** A channel that claims {@code size} bytes and serves at most 10 per read, counting them. */
  private static class HugeChannel implements SeekableByteChannel {
    final AtomicLong read = new AtomicLong();
    private final long size;
    private boolean open = true;

    HugeChannel(long size) {
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) {
      int n = Math.min(10, dst.remaining());
      dst.put(new byte[n]);
      read.addAndGet(n);
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      return read.get();
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long s) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
