package dev.hoist.remotes.docker.internal.http1;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body framed by {@code Content-Length}, chunked transfer coding, or the end of the
 * connection. When the last byte is read the connection goes back to the pool at once (a reader
 * that stops after exactly the expected bytes need not read the end of stream); closing the body
 * before its end closes the connection instead of draining it (a chunk request reads one chunk of
 * an open-ended range and hangs up, as containerd's do).
 */
final class ResponseBody extends InputStream {

  /** How the body ends. */
  enum Framing {
    EMPTY,
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  private final Http1Connection conn;
  private final ConnectionPool pool;
  private final boolean keepAlive;
  private final Framing framing;

  /** Bytes left: of the body ({@code LENGTH}) or of the current chunk ({@code CHUNKED}). */
  private long remaining;

  private volatile boolean done;
  private volatile boolean closed;

  /** A read is in progress: a close now comes from another thread and must not touch the stream. */
  private volatile boolean reading;

  ResponseBody(
      Http1Connection conn, ConnectionPool pool, boolean keepAlive, Framing framing, long length)
      throws IOException {
    this.conn = conn;
    this.pool = pool;
    this.keepAlive = keepAlive && framing != Framing.UNTIL_CLOSE;
    this.framing = framing;
    this.remaining = framing == Framing.LENGTH ? length : 0;
    if (framing == Framing.EMPTY || (framing == Framing.LENGTH && length == 0)) {
      finish();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    reading = true;
    try {
      return readFramed(b, off, len);
    } finally {
      reading = false;
    }
  }

  private synchronized int readFramed(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("body closed");
    }
    if (done) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    switch (framing) {
      case LENGTH:
        return readFixed(b, off, len);
      case CHUNKED:
        return readChunked(b, off, len);
      default:
        return readUntilClose(b, off, len);
    }
  }

  private int readFixed(byte[] b, int off, int len) throws IOException {
    int n = conn.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      fail();
      throw new EOFException(
          "connection to " + conn.key + " closed with " + remaining + " bytes of the body missing");
    }
    remaining -= n;
    if (remaining == 0) {
      finish();
    }
    return n;
  }

  private int readChunked(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      long size = readChunkSize();
      if (size == 0) {
        skipTrailers();
        finish();
        return -1;
      }
      remaining = size;
    }
    int n = conn.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      fail();
      throw new EOFException("connection to " + conn.key + " closed in the middle of a chunk");
    }
    remaining -= n;
    if (remaining == 0) {
      expectCrlf();
    }
    return n;
  }

  private int readUntilClose(byte[] b, int off, int len) throws IOException {
    int n = conn.read(b, off, len);
    if (n < 0) {
      finish();
    }
    return n;
  }

  /**
   * A chunk size line: {@code 1*HEXDIG}, then optional whitespace and extensions (RFC 9112 §7.1). A
   * sign, a {@code 0x} prefix or leading whitespace is refused, not parsed leniently: a proxy on
   * the way may have framed the body differently.
   */
  private long readChunkSize() throws IOException {
    String line = line();
    int end = 0;
    while (end < line.length() && isHexDigit(line.charAt(end))) {
      end++;
    }
    int rest = end;
    while (rest < line.length() && (line.charAt(rest) == ' ' || line.charAt(rest) == '\t')) {
      rest++;
    }
    if (end == 0 || end > 15 || (rest < line.length() && line.charAt(rest) != ';')) {
      fail();
      throw new IOException("malformed chunk size \"" + printable(line) + "\" from " + conn.key);
    }
    return Long.parseLong(line.substring(0, end), 16);
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  private void expectCrlf() throws IOException {
    if (!line().isEmpty()) {
      fail();
      throw new IOException("malformed chunk end from " + conn.key);
    }
  }

  private void skipTrailers() throws IOException {
    for (int i = 0; i < 64; i++) {
      if (line().isEmpty()) {
        return;
      }
    }
    fail();
    throw new IOException("too many trailer lines from " + conn.key);
  }

  /** One framing line (chunk size, chunk end, trailer), at most 4 KiB. */
  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(16);
    while (true) {
      int c = conn.read();
      if (c < 0) {
        fail();
        throw new EOFException(
            "connection to " + conn.key + " closed in the middle of a chunked body");
      }
      if (c == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= 4096) {
        fail();
        throw new IOException("chunk framing line from " + conn.key + " is too long");
      }
      sb.append((char) c);
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (keepAlive) {
      pool.release(conn);
    } else {
      conn.close();
    }
  }

  private void fail() {
    done = true;
    conn.close();
  }

  @Override
  public int available() {
    return 0;
  }

  @Override
  public void close() {
    // Not synchronized: a watchdog or a cancelling thread closes the body while a reader is
    // blocked in read(), and closing the socket is what wakes that reader.
    if (closed) {
      return;
    }
    closed = true;
    if (!done && !reading && framing == Framing.LENGTH && keepAlive && drainArrived()) {
      return; // the rest had arrived: the connection went back to the pool
    }
    if (!done) {
      done = true;
      conn.close();
    }
  }

  /**
   * Skips the rest of a fixed-length body if it has already arrived (an error reply closed after
   * its head, typically), without blocking; true when the body ended and the connection was
   * released. Hanging up on such a reply would cost a new connection for the next request.
   */
  private synchronized boolean drainArrived() {
    try {
      if (remaining > conn.available()) {
        return false;
      }
      byte[] skip = new byte[(int) Math.min(8192, Math.max(1, remaining))];
      while (remaining > 0) {
        int n = conn.read(skip, 0, (int) Math.min(skip.length, remaining));
        if (n < 0) {
          return false;
        }
        remaining -= n;
      }
      finish();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
