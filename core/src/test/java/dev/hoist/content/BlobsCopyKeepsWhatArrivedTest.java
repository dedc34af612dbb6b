package dev.hoist.content;

import static dev.hoist.content.TestBlobs.layer;
import static dev.hoist.content.TestBlobs.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupted or failed transfer loses nothing it received: bytes read before the failure are
 * written to the ingest, and bytes in hand are written once the source has nothing more ready
 * rather than when a full 1 MiB buffer is reached.
 */
class BlobsCopyKeepsWhatArrivedTest {

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final byte[] data = randomBytes(3 * 1024 * 1024, 11);
  private final Descriptor desc = layer(data);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Serves {@code data} in 64 KiB reads, then fails with {@code failure} at {@code failAt}. */
  private static class Failing extends InputStream {
    private final byte[] data;
    private final int failAt;
    private final IOException failure;
    private int pos;

    Failing(byte[] data, int failAt, IOException failure) {
      this.data = data;
      this.failAt = failAt;
      this.failure = failure;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= failAt) {
        throw failure;
      }
      int n = Math.min(Math.min(len, 64 << 10), failAt - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  @Test
  void bytesReadBeforeAConnectionFailureAreKeptInTheIngest() throws IOException {
    int received = 100_000; // far less than the copy buffer
    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(
              () ->
                  Blobs.copy(
                      w,
                      offset -> new Failing(data, received, new IOException("connection reset")),
                      desc.size(),
                      desc.digest(),
                      Map.of(),
                      n -> {}))
          .isInstanceOf(UnavailableException.class);
    }

    assertThat(store.status("ref").offset()).isEqualTo(received);
  }

  @Test
  void bytesReadBeforeAnInterruptAreKeptAndTheCopyIsCancelled() throws IOException {
    int received = 700_000;
    try (ContentWriter w = store.writer("ref", desc)) {
      assertThatThrownBy(
              () ->
                  Blobs.copy(
                      w,
                      offset ->
                          new Failing(data, received, new InterruptedIOException("cancelled")),
                      desc.size(),
                      desc.digest(),
                      Map.of(),
                      n -> {}))
          .isInstanceOf(CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag restored").isTrue();
    }

    assertThat(store.status("ref").offset()).isEqualTo(received);
  }

  @Test
  void bytesInHandAreWrittenBeforeWaitingForMoreOnceAQuarterMebibyteArrived() throws IOException {
    List<Long> offsetsSeenByReads = new ArrayList<>();
    try (ContentWriter w = store.writer("ref", desc)) {
      InputStream slow =
          new Failing(data, data.length, null) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              offsetsSeenByReads.add(w.status().offset());
              return super.read(b, off, len);
            }
          };
      Blobs.copy(w, offset -> slow, desc.size(), desc.digest(), Map.of(), n -> {});
    }

    // Nothing is ever more than 256 KiB (plus one read) ahead of the ingest, instead of 1 MiB.
    for (int i = 0; i < offsetsSeenByReads.size(); i++) {
      long readSoFar = Math.min((long) i * (64 << 10), data.length);
      assertThat(readSoFar - offsetsSeenByReads.get(i))
          .as("read %d", i)
          .isLessThanOrEqualTo(Blobs.EAGER_WRITE_BYTES);
    }
    assertThat(store.info(desc.digest()).size()).isEqualTo(data.length);
  }
}
