package dev.hoist.testkit.internal;

import java.io.InputStream;

/** Streams a {@link PositionalSource} from an offset; {@code skip} is constant time. */
public final class SourceInputStream extends InputStream {

  private final PositionalSource source;
  private long pos;

  public SourceInputStream(PositionalSource source, long offset) {
    if (offset < 0 || offset > source.size()) {
      throw new IllegalArgumentException(
          "offset " + offset + " outside [0, " + source.size() + "]");
    }
    this.source = source;
    this.pos = offset;
  }

  @Override
  public int read() {
    if (pos >= source.size()) {
      return -1;
    }
    byte[] one = new byte[1];
    source.read(pos++, one, 0, 1);
    return one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    long left = source.size() - pos;
    if (left <= 0) {
      return -1;
    }
    int n = (int) Math.min(len, left);
    source.read(pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long k = Math.max(0, Math.min(n, source.size() - pos));
    pos += k;
    return k;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, source.size() - pos);
  }
}
