package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One large blob fetched as parallel {@code Range} chunks and read back in order as a single stream
 * ("multipart layer fetch", as containerd 2.1+): the first reply's body serves the first chunk
 * directly; every later chunk {@code i} is its own closed {@code Range} request for exactly that
 * chunk, read into memory.
 *
 * <p>Memory is strictly bounded, unlike containerd's: at most {@code parallelism} chunk buffers
 * exist (reused, never more), and a new chunk is requested only when the reader has consumed an
 * earlier one, so a slow disk holds the network back instead of the heap growing. The caller still
 * hashes and writes bytes in order, so the digest is checked before commit and a partial ingest
 * stays resumable from whatever prefix was written.
 *
 * <p>A chunk whose connection drops is re-requested from where it stopped by the opener (a {@link
 * ResumingInputStream}); a chunk that still fails fails the whole stream at the point the reader
 * reaches it, and closing the stream cancels every chunk in flight.
 */
final class ChunkedBlobStream extends InputStream {

  /**
   * Opens the bytes {@code [offset, end)} of the blob; the stream must start exactly at {@code
   * offset} and may end at {@code end}.
   */
  @FunctionalInterface
  interface ChunkOpener {
    InputStream open(long offset, long end) throws IOException;
  }

  /** A chunk being downloaded into, or held in, a buffer. */
  private static final class Chunk {
    final long start;
    final int length;
    final byte[] buf;
    Future<?> future;

    Chunk(long start, int length, byte[] buf) {
      this.start = start;
      this.length = length;
      this.buf = buf;
    }
  }

  private final InputStream first;
  private final long firstEnd;
  private final long size;
  private final int chunkSize;
  private final int parallelism;
  private final ChunkOpener opener;
  private final ExecutorService executor;
  private final Runnable release;
  private final String what;

  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private int buffersAllocated;
  private long nextStart;
  private long position;
  private Chunk current;
  private int currentPos;
  private boolean firstClosed;
  private boolean closed;

  /**
   * @param first the body of the first reply, positioned at {@code offset}; only its first {@code
   *     chunkSize} bytes are read
   * @param offset where the first body starts
   * @param size the size of the blob
   * @param chunkSize bytes per chunk, at least 1
   * @param parallelism chunk buffers, at least 2: chunks downloading at once (while the first body
   *     streams, it counts as one of them)
   * @param release called once when the stream is closed, after which no buffer is used
   * @param opener opens the blob at the start of a later chunk
   * @param executor runs the chunk downloads; one task per chunk
   * @param what names the blob in errors
   */
  ChunkedBlobStream(
      InputStream first,
      long offset,
      long size,
      int chunkSize,
      int parallelism,
      Runnable release,
      ChunkOpener opener,
      ExecutorService executor,
      String what) {
    if (chunkSize < 1 || parallelism < 2 || offset < 0 || offset > size) {
      throw new IllegalArgumentException(
          "chunkSize "
              + chunkSize
              + ", parallelism "
              + parallelism
              + ", offset "
              + offset
              + ", size "
              + size);
    }
    this.first = Objects.requireNonNull(first, "first");
    this.size = size;
    this.chunkSize = chunkSize;
    this.parallelism = parallelism;
    this.release = release;
    this.opener = opener;
    this.executor = executor;
    this.what = what;
    this.position = offset;
    this.firstEnd = Math.min(size, offset + chunkSize);
    this.nextStart = firstEnd;
    // While the first body streams, parallelism - 1 chunks download beside it.
    for (int i = 1; i < parallelism; i++) {
      submitNext();
    }
  }

  /** How many chunk buffers were ever allocated (at most {@code parallelism}); for tests. */
  synchronized int buffersAllocated() {
    return buffersAllocated;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException(what + ": stream closed");
    }
    if (len == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    if (position < firstEnd) {
      return readFirst(b, off, len);
    }
    if (current == null) {
      current = await(pending.poll());
      currentPos = 0;
    }
    int n = Math.min(len, current.length - currentPos);
    System.arraycopy(current.buf, currentPos, b, off, n);
    currentPos += n;
    position += n;
    if (currentPos == current.length) {
      free.push(current.buf);
      current = null;
      submitNext();
    }
    return n;
  }

  private int readFirst(byte[] b, int off, int len) throws IOException {
    int want = (int) Math.min(len, firstEnd - position);
    int n;
    try {
      n = first.read(b, off, want);
    } catch (IOException | RuntimeException e) {
      cancelAll();
      throw e;
    }
    if (n < 0) {
      cancelAll();
      throw new EOFException(what + ": body ended at byte " + position + " of " + size);
    }
    position += n;
    if (position == firstEnd) {
      closeFirst();
      submitNext();
    }
    return n;
  }

  /** Waits for {@code chunk} to be complete; on failure cancels the rest and rethrows. */
  private Chunk await(Chunk chunk) throws IOException {
    if (chunk == null) {
      // Cannot happen while position < size: every byte up to size belongs to a submitted chunk.
      throw new IllegalStateException(what + ": no chunk pending at byte " + position);
    }
    try {
      chunk.future.get();
      return chunk;
    } catch (InterruptedException e) {
      cancelAll();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          what + ": interrupted waiting for the chunk at byte " + chunk.start);
    } catch (CancellationException e) {
      cancelAll();
      throw new IOException(what + ": chunk at byte " + chunk.start + " was cancelled", e);
    } catch (ExecutionException e) {
      cancelAll();
      Throwable cause = e.getCause();
      if (cause instanceof HoistException) {
        throw (HoistException) cause;
      }
      if (cause instanceof InterruptedIOException) {
        throw new UnavailableException(
            what + ": chunk at byte " + chunk.start + " was interrupted", cause);
      }
      if (cause instanceof IOException) {
        throw new UnavailableException(
            what + ": chunk at byte " + chunk.start + " failed: " + cause.getMessage(), cause);
      }
      throw new UnavailableException(
          what + ": chunk at byte " + chunk.start + " failed: " + cause, cause);
    }
  }

  /** Starts the next chunk, if any is left; a buffer is free whenever this is called. */
  private void submitNext() {
    if (nextStart >= size || closed) {
      return;
    }
    byte[] buf = free.poll();
    if (buf == null) {
      buffersAllocated++;
      if (buffersAllocated > parallelism) {
        throw new IllegalStateException(what + ": more than " + parallelism + " chunk buffers");
      }
      buf = new byte[chunkSize];
    }
    Chunk c = new Chunk(nextStart, (int) Math.min(chunkSize, size - nextStart), buf);
    nextStart += c.length;
    c.future =
        executor.submit(
            () -> {
              fill(c);
              return null;
            });
    pending.add(c);
  }

  private void fill(Chunk c) throws IOException {
    try (InputStream in = opener.open(c.start, c.start + c.length)) {
      int n = in.readNBytes(c.buf, 0, c.length);
      if (n < c.length) {
        throw new EOFException(
            "body ended after " + n + " of " + c.length + " bytes of the chunk at byte " + c.start);
      }
    }
  }

  private void closeFirst() {
    if (!firstClosed) {
      firstClosed = true;
      try {
        first.close();
      } catch (IOException | RuntimeException e) {
        // The first chunk is complete; the rest of that body is not needed.
      }
    }
  }

  private void cancelAll() {
    closeFirst();
    for (Chunk c : pending) {
      c.future.cancel(true);
    }
    pending.clear();
    nextStart = size;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      cancelAll();
      closed = true;
      current = null;
      free.clear();
      release.run();
    }
  }
}
