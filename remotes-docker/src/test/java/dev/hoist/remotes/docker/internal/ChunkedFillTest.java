package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunks written at their offsets: exact ranges asked for, what arrived kept on failure. */
@Timeout(30)
class ChunkedFillTest {

  static final int CHUNK = 1000;

  final ExecutorService pool = Executors.newCachedThreadPool();
  final List<ByteRange> asked = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong progress = new AtomicLong();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  static byte[] data(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** A positional writer into an array, recording the ranges written. */
  static final class ArrayWriter implements ContentWriter {
    final byte[] bytes;
    final List<ByteRange> written = Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());

    ArrayWriter(int size) {
      bytes = new byte[size];
    }

    @Override
    public boolean supportsWriteAt() {
      return true;
    }

    @Override
    public synchronized void writeAt(long position, ByteBuffer src) {
      int n = src.remaining();
      src.get(bytes, (int) position, n);
      written.add(new ByteRange(position, position + n));
      threads.add(Thread.currentThread().getName());
    }

    long total() {
      synchronized (written) {
        return ByteRange.total(written);
      }
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public IngestStatus status() {
      return new IngestStatus("test", 0, bytes.length, null, null, null);
    }

    @Override
    public Digest digest() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void truncate(long size) {}

    @Override
    public void commit(long size, Digest expected, Map<String, String> labels) {}

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** Serves {@code limit} bytes from {@code offset}, then blocks until closed. */
  static final class StallingStream extends InputStream {
    final ByteArrayInputStream in;
    final CountDownLatch closed = new CountDownLatch(1);
    final CountDownLatch stalled;

    StallingStream(byte[] data, long offset, int limit, CountDownLatch stalled) {
      this.in = new ByteArrayInputStream(data, (int) offset, limit);
      this.stalled = stalled;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        return n;
      }
      stalled.countDown();
      try {
        closed.await();
      } catch (InterruptedException e) {
        throw new InterruptedIOException("interrupted");
      }
      throw new IOException("stream closed");
    }

    @Override
    public int available() {
      return in.available();
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  ChunkedFill fill(
      ArrayWriter w,
      List<ByteRange> gaps,
      InputStream first,
      int workers,
      ChunkedBlobStream.ChunkOpener opener) {
    return new ChunkedFill(
        w, gaps, CHUNK, first, workers, opener, pool, progress::addAndGet, "blob test");
  }

  /** Starts {@code fill.run()} on a new thread; what it throws goes to {@code thrown}. */
  static Thread runOnItsOwnThread(ChunkedFill fill, AtomicReference<Throwable> thrown) {
    Thread caller =
        new Thread(
            () -> {
              try {
                fill.run();
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    caller.start();
    return caller;
  }

  ChunkedBlobStream.ChunkOpener openerOf(byte[] data) {
    return (start, end) -> {
      asked.add(new ByteRange(start, end));
      return new ByteArrayInputStream(data, (int) start, (int) (end - start));
    };
  }

  @Test
  void fillsExactlyTheGapsInClosedChunksAtTheirOffsets() throws Exception {
    byte[] data = data(10 * CHUNK + 123);
    List<ByteRange> gaps =
        List.of(
            new ByteRange(500, 2_700), new ByteRange(6_000, 6_001), new ByteRange(8_000, 10_123));
    ArrayWriter w = new ArrayWriter(data.length);
    ByteRange first = ChunkedFill.firstChunk(gaps, CHUNK);
    InputStream firstBody =
        new ByteArrayInputStream(data, (int) first.start(), (int) first.length());

    fill(w, gaps, firstBody, 3, openerOf(data)).run();

    assertThat(first).isEqualTo(new ByteRange(500, 1_500));
    assertThat(asked)
        .containsExactlyInAnyOrder(
            new ByteRange(1_500, 2_500),
            new ByteRange(2_500, 2_700),
            new ByteRange(6_000, 6_001),
            new ByteRange(8_000, 9_000),
            new ByteRange(9_000, 10_000),
            new ByteRange(10_000, 10_123));
    assertThat(w.total()).isEqualTo(ByteRange.total(gaps)).isEqualTo(progress.get());
    for (ByteRange g : gaps) {
      for (long i = g.start(); i < g.end(); i++) {
        assertThat(w.bytes[(int) i]).isEqualTo(data[(int) i]);
      }
    }
    assertThat(w.bytes[0]).isZero(); // outside the gaps nothing is written
  }

  @Test
  void aFailedChunkStopsTheOthersAfterWritingWhatEachReceived() throws Exception {
    byte[] data = data(4 * CHUNK);
    List<ByteRange> gaps = List.of(new ByteRange(0, data.length));
    ArrayWriter w = new ArrayWriter(data.length);
    CountDownLatch stalled = new CountDownLatch(1);
    StallingStream firstBody = new StallingStream(data, 0, 300, stalled);
    ChunkedBlobStream.ChunkOpener opener =
        (start, end) -> {
          asked.add(new ByteRange(start, end));
          if (start == CHUNK) {
            // Fails only once the first chunk is stalled with 300 bytes read.
            try {
              stalled.await();
            } catch (InterruptedException e) {
              throw new InterruptedIOException();
            }
            return new InputStream() {
              int served;

              @Override
              public int read() throws IOException {
                if (served++ < 200) {
                  return data[(int) start + served - 1] & 0xff;
                }
                throw new IOException("connection reset");
              }
            };
          }
          return new StallingStream(data, start, 0, new CountDownLatch(1));
        };

    assertThatThrownBy(() -> fill(w, gaps, firstBody, 2, opener).run())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connection reset");

    assertThat(firstBody.closed.getCount()).as("the stalled chunk was closed").isZero();
    assertThat(w.written).contains(new ByteRange(0, 300));
    assertThat(w.total()).isEqualTo(500);
    assertThat(asked)
        .as("no chunk started after the failure")
        .containsExactly(new ByteRange(CHUNK, 2 * CHUNK));
  }

  @Test
  void anInterruptedCallerGetsControlBackOnlyAfterTheWorkersWroteWhatTheyHeld() throws Exception {
    byte[] data = data(4 * CHUNK);
    List<ByteRange> gaps = List.of(new ByteRange(0, data.length));
    ArrayWriter w = new ArrayWriter(data.length);
    CountDownLatch stalled = new CountDownLatch(2);
    StallingStream firstBody = new StallingStream(data, 0, 400, stalled);
    ChunkedBlobStream.ChunkOpener opener =
        (start, end) -> new StallingStream(data, start, 100, stalled);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = runOnItsOwnThread(fill(w, gaps, firstBody, 2, opener), thrown);
    assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(10_000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(w.written)
        .containsExactlyInAnyOrder(new ByteRange(0, 400), new ByteRange(CHUNK, CHUNK + 100));
    assertThat(w.threads).noneMatch(name -> name.equals(caller.getName()));
  }

  @Test
  void aFailureDoesNotWaitForAChunkStillWaitingForItsReplyHead() throws Exception {
    byte[] data = data(4 * CHUNK);
    List<ByteRange> gaps = List.of(new ByteRange(0, data.length));
    ArrayWriter w = new ArrayWriter(data.length);
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    StallingStream late = new StallingStream(data, CHUNK, CHUNK, new CountDownLatch(1));
    ChunkedBlobStream.ChunkOpener opener =
        (start, end) -> {
          asked.add(new ByteRange(start, end));
          opening.countDown();
          try {
            answer.await(); // a server that has not answered yet
          } catch (InterruptedException e) {
            throw new InterruptedIOException();
          }
          return late;
        };
    // The first chunk fails after 300 bytes, once the second chunk's request is waiting.
    InputStream firstBody =
        new InputStream() {
          int served;

          @Override
          public int read() throws IOException {
            if (served == 0) {
              try {
                opening.await();
              } catch (InterruptedException e) {
                throw new InterruptedIOException();
              }
            }
            if (served < 300) {
              return data[served++] & 0xff;
            }
            throw new IOException("connection reset");
          }
        };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = runOnItsOwnThread(fill(w, gaps, firstBody, 2, opener), thrown);
    caller.join(10_000);
    boolean returnedBeforeTheAnswer = !caller.isAlive();
    answer.countDown();
    caller.join(10_000);

    assertThat(returnedBeforeTheAnswer)
        .as("run() returned while a reply head was awaited")
        .isTrue();
    assertThat(thrown.get())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connection reset");
    assertThat(late.closed.await(10, TimeUnit.SECONDS)).as("the late reply is closed").isTrue();
    assertThat(w.written).containsExactly(new ByteRange(0, 300));
    assertThat(asked).containsExactly(new ByteRange(CHUNK, 2 * CHUNK));
  }

  @Test
  void oneWorkerFetchesTheChunksInTurnOnTheCallersThread() throws Exception {
    byte[] data = data(3 * CHUNK);
    List<ByteRange> gaps = List.of(new ByteRange(100, 200), new ByteRange(1_000, 3_000));
    ArrayWriter w = new ArrayWriter(data.length);
    ChunkedBlobStream.ChunkOpener opener = openerOf(data);
    fill(w, gaps, opener.open(100, 200), 1, opener).run();

    assertThat(asked)
        .containsExactly(
            new ByteRange(100, 200), new ByteRange(1_000, 2_000), new ByteRange(2_000, 3_000));
    assertThat(w.threads).containsOnly(Thread.currentThread().getName());
    assertThat(w.total()).isEqualTo(2_100);
  }
}
