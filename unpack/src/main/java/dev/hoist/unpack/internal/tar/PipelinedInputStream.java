package dev.hoist.unpack.internal.tar;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * Decompresses and hashes a layer on a second thread while the caller's thread parses the tar and
 * writes files: GNU {@code tar -xzf} gets the same overlap from its {@code gzip} child process, and
 * on two cores inflate + sha256 and file creation take similar time. The producer thread fills 1
 * MiB chunks through a {@link DigestingInputStream} (so hashing, counting and the byte bound stay
 * on that side) and hands them over a queue of {@value #DEPTH}; used chunks come back for reuse, so
 * memory stays at {@code DEPTH + 2} chunks. A failure on the producer side (the source, corrupt
 * data, the bound) is rethrown, unchanged, to the reader. {@link #close()} stops the producer and
 * waits for it, so nothing reads the caller's stream after the apply returns. Single reader.
 */
public final class PipelinedInputStream extends InputStream {

  private static final int DEPTH = 4;
  private static final Chunk EOF = new Chunk(new byte[0]);

  private static final class Chunk {
    final byte[] data;
    int len;
    Throwable failure;

    Chunk(byte[] data) {
      this.data = data;
    }
  }

  private final DigestingInputStream source;
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH + 3);
  private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(DEPTH + 2);
  private final Thread producer;
  private volatile boolean closed;
  private Chunk current;
  private int pos;
  private boolean eof;

  /**
   * Starts the producer thread over {@code source}.
   *
   * @param source the hashing stream over the decompressor
   * @param chunkSize the size of each chunk
   */
  public PipelinedInputStream(DigestingInputStream source, int chunkSize) {
    this.source = source;
    for (int i = 0; i < DEPTH + 2; i++) {
      free.add(new Chunk(new byte[chunkSize]));
    }
    this.producer = new Thread(this::produce, "hoist-unpack-decompress");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce() {
    try {
      while (!closed) {
        Chunk c = free.take();
        if (closed) {
          return;
        }
        int n = 0;
        while (n < c.data.length) {
          int r = source.read(c.data, n, c.data.length - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        if (n == 0) {
          full.put(EOF);
          return;
        }
        c.len = n;
        c.failure = null;
        full.put(c);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // not used by close(); ends the thread all the same
    } catch (Throwable t) {
      Chunk f = new Chunk(new byte[0]);
      f.failure = t;
      full.offer(f); // room is guaranteed: full holds every chunk there is, and more
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!next()) {
      return -1;
    }
    int n = Math.min(len, current.len - pos);
    System.arraycopy(current.data, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n && next()) {
      int step = (int) Math.min(n - skipped, current.len - pos);
      pos += step;
      skipped += step;
    }
    return skipped;
  }

  /** Makes {@code current} a chunk with unread bytes; false at the end of the stream. */
  private boolean next() throws IOException {
    if (current != null && pos < current.len) {
      return true;
    }
    if (eof) {
      return false;
    }
    if (current != null) {
      free.add(current);
      current = null;
    }
    Chunk c;
    try {
      c = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new CancellationException("apply layer interrupted");
    }
    if (c == EOF) {
      eof = true;
      return false;
    }
    if (c.failure != null) {
      eof = true;
      throw rethrow(c.failure);
    }
    current = c;
    pos = 0;
    return true;
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException io) {
      return io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new IOException(t);
  }

  /** Reads everything left: the producer hashes up to the end of the decompressed stream. */
  public void drain() throws IOException {
    while (next()) {
      pos = current.len;
    }
  }

  /** Returns the DiffID; valid once {@link #drain()} returned. */
  public Digest digest() {
    return source.digest();
  }

  /** Returns the bytes of the uncompressed stream; valid once {@link #drain()} returned. */
  public long count() {
    return source.count();
  }

  /**
   * Stops the producer, waits for it, and closes the decompressor. The producer is not interrupted:
   * an interrupt closes an interruptible source channel (a {@code Files.newInputStream}) under its
   * owner. It finishes the chunk it is reading, sees the flag and ends.
   */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (current != null) {
        free.add(current);
        current = null;
      }
      Chunk c;
      while ((c = full.poll()) != null) {
        if (c.data.length > 0) {
          free.add(c); // unblock a producer waiting for a free chunk
        }
      }
      boolean interrupted = false;
      while (true) {
        try {
          producer.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      source.close();
    }
  }
}
