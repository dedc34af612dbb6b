package dev.hoist.remotes.docker.internal;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * The missing ranges of one large blob fetched as parallel closed {@code Range} chunks straight
 * into a positional writer ({@link ContentWriter#writeAt}): each chunk is written at its offset as
 * it arrives, in pieces of at most {@value #PIECE} bytes, so nothing waits in memory for the bytes
 * before it and a fetch that stops (killed, cancelled, failed) keeps whatever was received. The
 * writer hashes in order; the commit verifies the whole blob as before.
 *
 * <p>Memory is one piece buffer per worker, whatever the chunk size. On the first failure no new
 * chunk starts, the streams of the chunks in flight are closed (which unblocks their reads), every
 * worker holding a stream writes what it holds and ends, and only then is the failure thrown: the
 * writer is never used after this returns. A worker still waiting for its reply head is not waited
 * for; it closes whatever reply comes without writing. The caller's interrupt is handled the same
 * way. Worker threads are never interrupted, since a file channel written from an interrupted
 * thread closes.
 */
final class ChunkedFill {

  /** The most a worker holds before writing it out. */
  static final int PIECE = 256 << 10;

  /**
   * Bytes in hand that are written as soon as the stream has nothing more ready, so that a slow
   * network does not keep them in memory.
   */
  static final int EAGER = 64 << 10;

  private final ContentWriter writer;
  private final int workers;
  private final ChunkedBlobStream.ChunkOpener opener;
  private final ExecutorService executor;
  private final LongConsumer progress;
  private final String what;

  /** The gaps not yet handed to a worker; chunks are cut from the first as they are taken. */
  private final ArrayDeque<ByteRange> queue = new ArrayDeque<>();

  private final long chunkSize;
  private final Set<InputStream> open = new HashSet<>();
  private InputStream firstBody;
  private boolean stopped;

  /** Workers started and not yet ended; workers between registering a stream and its last write. */
  private int running;

  private int writing;

  /** The failure that stopped the fill; what the stopped workers throw afterwards is its echo. */
  private Throwable cause;

  /**
   * @param writer the positional writer
   * @param gaps the missing ranges, sorted and disjoint
   * @param chunkSize the largest chunk asked for in one request
   * @param firstBody the body of the first chunk's request (already sent), or null
   * @param workers chunks downloading at once, at least 1
   * @param opener opens the closed range {@code [start, end)} of the blob
   * @param executor runs the workers
   * @param progress receives the bytes written
   * @param what names the blob in errors
   */
  ChunkedFill(
      ContentWriter writer,
      List<ByteRange> gaps,
      int chunkSize,
      InputStream firstBody,
      int workers,
      ChunkedBlobStream.ChunkOpener opener,
      ExecutorService executor,
      LongConsumer progress,
      String what) {
    this.writer = writer;
    this.workers = Math.max(1, workers);
    this.opener = opener;
    this.executor = executor;
    this.progress = progress;
    this.what = what;
    this.firstBody = firstBody;
    this.chunkSize = chunkSize;
    queue.addAll(gaps); // not cut up front: a hostile size must not become millions of chunks
  }

  /** The first chunk {@link #run} fetches, which {@code firstBody} must serve. */
  static ByteRange firstChunk(List<ByteRange> gaps, long chunkSize) {
    ByteRange g = gaps.get(0);
    return new ByteRange(g.start(), Math.min(g.end(), g.start() + chunkSize));
  }

  /**
   * Fetches every chunk; see the class comment for failures. With one worker the chunks are fetched
   * one after the other on the calling thread (its interrupt stops the read in progress).
   */
  void run() throws IOException {
    if (workers == 1) {
      work();
      return;
    }
    int n = (int) Math.min(workers, chunkCount());
    try {
      for (int i = 0; i < n; i++) {
        synchronized (this) {
          running++;
        }
        try {
          executor.execute(this::workAndReport);
        } catch (RuntimeException e) {
          synchronized (this) {
            running--;
          }
          throw e;
        }
      }
    } catch (RuntimeException e) {
      stop(); // the executor refused (closed resolver): end the workers already started
      awaitWriters();
      throw new UnavailableException(what + ": cannot start chunk downloads: " + e, e);
    }
    boolean interrupted = awaitWriters();
    Throwable failure;
    synchronized (this) {
      failure = cause;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted; received chunks are kept");
    }
    if (failure instanceof HoistException) {
      throw (HoistException) failure;
    }
    if (failure instanceof IOException) {
      throw (IOException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new UnavailableException(what + ": chunk failed: " + failure, failure);
    }
  }

  /** One worker on the executor: its failure stops the others and becomes the fill's. */
  private void workAndReport() {
    try {
      work();
    } catch (IOException | RuntimeException | Error e) {
      failed(e);
      stop();
    } finally {
      synchronized (this) {
        running--;
        notifyAll();
      }
    }
  }

  /**
   * Waits until every worker has ended, or the fill is stopped and no worker holds a stream: a
   * worker still waiting for a chunk's reply head may outlive this (the server decides when it
   * answers), but it closes what it gets without writing. Interrupts stop the fill and are
   * reported.
   */
  private boolean awaitWriters() {
    boolean interrupted = false;
    while (true) {
      List<InputStream> toClose = List.of();
      synchronized (this) {
        if (running == 0 || (stopped && writing == 0)) {
          return interrupted;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
          toClose = stopLocked();
        }
      }
      for (InputStream in : toClose) {
        closeQuietly(in);
      }
    }
  }

  private synchronized void failed(Throwable t) {
    if (!stopped && cause == null) {
      cause = t;
    }
  }

  /** How many chunks the gaps make, saturating. */
  private synchronized long chunkCount() {
    long n = 0;
    for (ByteRange g : queue) {
      n += (g.length() + chunkSize - 1) / chunkSize;
      if (n > Integer.MAX_VALUE) {
        return Integer.MAX_VALUE;
      }
    }
    return n;
  }

  /** Cuts the next chunk off the first gap; null when none is left. Under the lock. */
  private ByteRange nextChunk() {
    ByteRange g = queue.poll();
    if (g == null) {
      return null;
    }
    long end = g.start() + Math.min(chunkSize, g.length());
    if (end < g.end()) {
      queue.addFirst(new ByteRange(end, g.end()));
    }
    return new ByteRange(g.start(), end);
  }

  /** No new chunk starts; the chunks in flight have their streams closed. */
  private void stop() {
    List<InputStream> toClose;
    synchronized (this) {
      toClose = stopLocked();
    }
    for (InputStream in : toClose) {
      closeQuietly(in);
    }
  }

  /** Marks the fill stopped and returns the streams to close, outside the lock. Under the lock. */
  private List<InputStream> stopLocked() {
    if (stopped) {
      return List.of();
    }
    stopped = true;
    queue.clear();
    List<InputStream> toClose = new ArrayList<>(open);
    if (firstBody != null) {
      toClose.add(firstBody);
      firstBody = null;
    }
    notifyAll();
    return toClose;
  }

  private void work() throws IOException {
    byte[] buf = new byte[PIECE];
    while (true) {
      ByteRange chunk;
      InputStream given;
      synchronized (this) {
        chunk = stopped ? null : nextChunk();
        given = firstBody;
        firstBody = null;
      }
      if (chunk == null) {
        if (given != null) {
          closeQuietly(given);
        }
        return;
      }
      InputStream in = given != null ? given : opener.open(chunk.start(), chunk.end());
      synchronized (this) {
        if (stopped) {
          closeQuietly(in);
          return;
        }
        open.add(in);
        writing++;
      }
      try {
        copy(in, chunk, buf);
      } finally {
        closeQuietly(in);
        synchronized (this) {
          open.remove(in);
          writing--;
          notifyAll();
        }
      }
    }
  }

  /** Copies one chunk into the writer; bytes read before a failure are written first. */
  private void copy(InputStream in, ByteRange chunk, byte[] buf) throws IOException {
    long pos = chunk.start();
    while (pos < chunk.end()) {
      int want = (int) Math.min(buf.length, chunk.end() - pos);
      int n = 0;
      IOException failure = null;
      try {
        while (n < want) {
          int r = in.read(buf, n, want - n);
          if (r < 0) {
            break;
          }
          n += r;
          if (n >= EAGER && n < want && in.available() == 0) {
            break;
          }
        }
      } catch (IOException e) {
        failure = e;
      }
      if (n > 0) {
        // Never write from an interrupted thread: the file channel would close. The flag is put
        // back, for the caller's thread when it is the worker.
        boolean interrupted = Thread.interrupted();
        try {
          writer.writeAt(pos, ByteBuffer.wrap(buf, 0, n));
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        pos += n;
        progress.accept(n);
      }
      if (failure != null) {
        throw failure;
      }
      if (n == 0) {
        throw new EOFException(
            what
                + ": body ended at byte "
                + pos
                + " of the chunk "
                + chunk
                + (isStopped() ? " (stopped)" : ""));
      }
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // Closing to stop or after the chunk's end: nothing left to read from it.
    }
  }
}
