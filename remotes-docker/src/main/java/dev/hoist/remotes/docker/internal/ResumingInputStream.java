package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A blob body that survives connection resets: when a read fails (or the body ends before {@code
 * size} bytes), the blob is requested again with {@code Range: bytes=<position>-} and reading
 * continues, as containerd's {@code httpReadSeeker} does. After {@value
 * #MAX_FAILURES_WITHOUT_PROGRESS} failures in a row without a byte of progress the read fails with
 * {@link UnavailableException}; the bytes already handed out stay valid, so the caller's ingest can
 * resume later.
 */
final class ResumingInputStream extends InputStream {

  /** containerd's {@code httpReadSeeker} gives up after 3 consecutive failures without progress. */
  static final int MAX_FAILURES_WITHOUT_PROGRESS = 3;

  /** Reopens the blob at an offset. */
  @FunctionalInterface
  interface Opener {
    InputStream open(long offset) throws IOException;
  }

  private final Opener opener;
  private final long size;
  private final String what;
  private volatile InputStream current;
  private long position;
  private int failures;

  /** Volatile: a chunked fill closes the stream from another thread to stop its reader. */
  private volatile boolean closed;

  ResumingInputStream(InputStream first, long offset, long size, Opener opener, String what) {
    this.current = first;
    this.position = offset;
    this.size = size;
    this.opener = opener;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException(what + ": stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      try {
        int n = current.read(b, off, len);
        if (n > 0) {
          position += n;
          failures = 0;
          return n;
        }
        if (n < 0) {
          if (position >= size) {
            return -1;
          }
          throw new EOFException("body ended at byte " + position + " of " + size);
        }
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException | UnavailableException e) {
        reopen(e);
      }
    }
  }

  private void reopen(Exception cause) throws IOException {
    failures++;
    closeQuietly(current);
    if (closed) {
      // Closed by another thread to stop this read: not a network failure, nothing to resume.
      throw new IOException(what + ": stream closed at byte " + position, cause);
    }
    if (Thread.currentThread().isInterrupted()) {
      // Cancellation, not a network failure: the JDK reports an interrupted read as a plain
      // IOException.
      InterruptedIOException e =
          new InterruptedIOException(what + ": interrupted at byte " + position);
      e.initCause(cause);
      throw e;
    }
    if (failures >= MAX_FAILURES_WITHOUT_PROGRESS) {
      throw new UnavailableException(
          what
              + ": body failed at byte "
              + position
              + " of "
              + size
              + " ("
              + failures
              + " failures without progress): "
              + cause.getMessage(),
          cause);
    }
    try {
      current = opener.open(position);
    } catch (HoistException e) {
      current = InputStream.nullInputStream();
      throw e;
    }
    if (closed) {
      closeQuietly(current); // closed while the new request was under way
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      current.close();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // The failed body is abandoned.
    }
  }
}
