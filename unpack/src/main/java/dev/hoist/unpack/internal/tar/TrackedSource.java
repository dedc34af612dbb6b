package dev.hoist.unpack.internal.tar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's layer stream, remembering whether reading it failed: a failure there (network, disk)
 * is passed on as it was, while any other failure of the decoders is malformed input. Does not
 * close the caller's stream; its creator does.
 */
public final class TrackedSource extends FilterInputStream {

  private volatile IOException failure;

  /**
   * @param in the caller's stream
   */
  public TrackedSource(InputStream in) {
    super(in);
  }

  /** Returns the first exception the stream threw, or null. */
  public IOException failure() {
    return failure;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw remember(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      throw remember(e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return in.skip(n);
    } catch (IOException e) {
      throw remember(e);
    }
  }

  private IOException remember(IOException e) {
    if (failure == null) {
      failure = e;
    }
    return e;
  }

  @Override
  public void close() {
    // the caller owns the layer stream
  }
}
