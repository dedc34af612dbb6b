package dev.hoist.testkit.internal;

/**
 * Bytes addressable by position, generated on demand, so that a GiB-sized blob never sits in the
 * heap and a ranged read starts in constant time.
 */
public interface PositionalSource {

  /** Total length in bytes. */
  long size();

  /**
   * Fills {@code b[off, off+len)} with the bytes at {@code [pos, pos+len)}; the range is in bounds.
   */
  void read(long pos, byte[] b, int off, int len);
}
