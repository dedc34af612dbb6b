package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chunk engine alone: order, bounded buffers and back-pressure, failures, close. */
@Timeout(30)
class ChunkedBlobStreamTest {

  static final int CHUNK = 1000;

  final ExecutorService pool = Executors.newCachedThreadPool();
  final List<Long> opened = java.util.Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger released = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  ChunkedBlobStream.ChunkOpener openerOf(byte[] data) {
    return (offset, end) -> {
      assertThat(end).isEqualTo(Math.min(offset + CHUNK, data.length));
      opened.add(offset);
      return new ByteArrayInputStream(data, (int) offset, (int) (end - offset));
    };
  }

  ChunkedBlobStream stream(byte[] data, long offset, int parallelism, ExecutorService executor) {
    return new ChunkedBlobStream(
        new ByteArrayInputStream(data, (int) offset, data.length - (int) offset),
        offset,
        data.length,
        CHUNK,
        parallelism,
        released::incrementAndGet,
        openerOf(data),
        executor,
        "blob test");
  }

  static byte[] drain(InputStream in, int readSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[readSize];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Test
  void yieldsTheBlobInOrderWhateverTheReadSize() throws Exception {
    byte[] data = data(10 * CHUNK + 123);
    for (int readSize : new int[] {1, 7, CHUNK, 3 * CHUNK + 5}) {
      try (ChunkedBlobStream in = stream(data, 0, 3, pool)) {
        assertThat(drain(in, readSize)).isEqualTo(data);
        assertThat(in.buffersAllocated()).isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void startsAtTheOffsetAndRequestsEachLaterChunkOnceAtItsStart() throws Exception {
    byte[] data = data(5 * CHUNK);
    try (ChunkedBlobStream in = stream(data, 1500, 4, pool)) {
      assertThat(drain(in, 4096)).isEqualTo(Arrays.copyOfRange(data, 1500, data.length));
    }
    assertThat(opened).containsExactlyInAnyOrder(2500L, 3500L, 4500L);
  }

  @Test
  void neverRequestsMoreThanParallelismChunksAheadOfTheReader() throws Exception {
    ManualExecutor manual = new ManualExecutor();
    byte[] data = data(10 * CHUNK);
    try (ChunkedBlobStream in = stream(data, 0, 3, manual)) {
      // While the first body streams, two chunks (parallelism - 1) are requested beside it.
      assertThat(manual.tasks).hasSize(2);
      assertThat(in.readNBytes(CHUNK)).isEqualTo(Arrays.copyOfRange(data, 0, CHUNK));
      // The first chunk is consumed: one more, and no further until the reader catches up.
      assertThat(manual.tasks).hasSize(3);
      manual.runAll();
      assertThat(manual.tasks).hasSize(3);
      assertThat(in.readNBytes(CHUNK - 1))
          .isEqualTo(Arrays.copyOfRange(data, CHUNK, 2 * CHUNK - 1));
      assertThat(manual.tasks).hasSize(3);
      assertThat(in.read()).isEqualTo(data[2 * CHUNK - 1] & 0xff);
      assertThat(manual.tasks).hasSize(4);
      assertThat(in.buffersAllocated()).isEqualTo(3);
    }
  }

  @Test
  void aFailingChunkFailsTheReadWhenReachedAndCancelsTheRest() throws Exception {
    byte[] data = data(8 * CHUNK);
    ChunkedBlobStream.ChunkOpener failing =
        (offset, end) -> {
          if (offset == 2 * CHUNK) {
            throw new IOException("connection reset");
          }
          return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
        };
    ChunkedBlobStream in =
        new ChunkedBlobStream(
            new ByteArrayInputStream(data),
            0,
            data.length,
            CHUNK,
            3,
            released::incrementAndGet,
            failing,
            pool,
            "blob sha256:abc");
    // Bytes before the failed chunk are delivered intact; the failure surfaces at its first byte.
    assertThat(in.readNBytes(2 * CHUNK)).isEqualTo(Arrays.copyOfRange(data, 0, 2 * CHUNK));
    assertThatThrownBy(() -> in.read(new byte[10]))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("blob sha256:abc")
        .hasMessageContaining("chunk at byte 2000")
        .hasMessageContaining("connection reset");
    in.close();
    in.close();
    assertThat(released).hasValue(1);
    assertThatThrownBy(() -> in.read(new byte[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aShortChunkBodyIsAnError() throws Exception {
    byte[] data = data(4 * CHUNK);
    ChunkedBlobStream.ChunkOpener truncating =
        (offset, end) ->
            new ByteArrayInputStream(
                data, (int) offset, offset == CHUNK ? 10 : (int) (end - offset));
    try (ChunkedBlobStream in =
        new ChunkedBlobStream(
            new ByteArrayInputStream(data),
            0,
            data.length,
            CHUNK,
            2,
            released::incrementAndGet,
            truncating,
            pool,
            "blob x")) {
      in.readNBytes(CHUNK);
      assertThatThrownBy(() -> in.read(new byte[10]))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("body ended after 10 of 1000 bytes");
    }
  }

  @Test
  void aFirstBodyEndingEarlyIsAnError() throws Exception {
    byte[] data = data(4 * CHUNK);
    try (ChunkedBlobStream in =
        new ChunkedBlobStream(
            new ByteArrayInputStream(data, 0, 500),
            0,
            data.length,
            CHUNK,
            2,
            released::incrementAndGet,
            openerOf(data),
            pool,
            "blob x")) {
      assertThatThrownBy(() -> drain(in, 100))
          .isInstanceOf(java.io.EOFException.class)
          .hasMessageContaining("500");
    }
  }

  @Test
  void closeCancelsChunksInFlightAndReleasesTheBuffersOnce() throws Exception {
    ManualExecutor manual = new ManualExecutor();
    ChunkedBlobStream in = stream(data(10 * CHUNK), 0, 4, manual);
    assertThat(manual.futures).hasSize(3);
    in.close();
    assertThat(manual.futures).allMatch(Future::isCancelled);
    in.close();
    assertThat(released).hasValue(1);
  }

  @Test
  void refusesNonsenseParameters() {
    byte[] data = data(10);
    assertThatThrownBy(() -> stream(data, 0, 1, pool)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stream(data, 11, 2, pool))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Runs submitted tasks only when told, so that tests see exactly what was requested when. */
  static final class ManualExecutor extends AbstractExecutorService {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Future<?>> futures = new ArrayList<>();
    int ran;

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
      if (command instanceof Future) {
        futures.add((Future<?>) command);
      }
    }

    void runAll() {
      while (ran < tasks.size()) {
        tasks.get(ran++).run();
      }
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
