package dev.hoist.unpack.internal.tar;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered stream over the uncompressed layer that hashes (sha256) and counts every byte as it is
 * pulled from the decompressor, and fails once more than {@code maxBytes} came through (a
 * decompression bomb). Filling a large buffer at once keeps the tar reader's 512-byte header reads
 * from becoming one inflate call each. Skipped bytes are read and hashed too, so {@link #drain()}
 * after the tar end marker gives the DiffID of the whole stream, as containerd computes it. Not
 * thread-safe.
 */
public final class DigestingInputStream extends InputStream {

  private final InputStream in;
  private final byte[] buf;
  private final long maxBytes;
  private final Digester digester = Digester.sha256();
  private int pos;
  private int lim;
  private boolean eof;

  /**
   * @param in the decompressed stream
   * @param bufferSize the fill size
   * @param maxBytes the most bytes accepted before failing
   */
  public DigestingInputStream(InputStream in, int bufferSize, long maxBytes) {
    this.in = in;
    this.buf = new byte[bufferSize];
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == lim) {
      if (len >= buf.length && !eof) {
        return direct(b, off, len); // a large read skips the copy through buf
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, lim - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (pos == lim && !fill()) {
        break;
      }
      int step = (int) Math.min(n - skipped, lim - pos);
      pos += step;
      skipped += step;
    }
    return skipped;
  }

  @Override
  public int available() {
    return lim - pos;
  }

  /** Reads (and hashes) everything left, up to the end of the decompressed stream. */
  public void drain() throws IOException {
    pos = lim;
    while (fill()) {
      pos = lim;
    }
  }

  /** Returns the sha256 of every byte read from the decompressor so far. */
  public Digest digest() {
    return digester.digest();
  }

  /** Returns how many bytes were read from the decompressor so far. */
  public long count() {
    return digester.count();
  }

  private int direct(byte[] b, int off, int len) throws IOException {
    int n;
    do {
      n = in.read(b, off, len);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      return -1;
    }
    account(b, off, n);
    return n;
  }

  private void account(byte[] b, int off, int n) {
    if (digester.count() + n > maxBytes) {
      throw new FailedPreconditionException(
          "layer: uncompressed size exceeds the limit of " + maxBytes + " bytes");
    }
    digester.update(b, off, n);
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      eof = true;
      pos = lim = 0;
      return false;
    }
    account(buf, 0, n);
    pos = 0;
    lim = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
