package dev.hoist.content;

import java.util.ArrayList;
import java.util.List;

/**
 * A half-open span {@code [start, end)} of a blob's bytes: what an ingest holds, or what it still
 * lacks.
 *
 * @param start the first byte, zero or more
 * @param end the byte after the last, at least {@code start}
 */
public record ByteRange(long start, long end) {

  /**
   * Requires {@code 0 <= start <= end}.
   *
   * @param start the first byte, zero or more
   * @param end the byte after the last, at least {@code start}
   * @throws IllegalArgumentException when the bounds are out of order or negative
   */
  public ByteRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("byte range [" + start + ", " + end + ") is invalid");
    }
  }

  /** {@return the number of bytes in the range} */
  public long length() {
    return end - start;
  }

  /**
   * The parts of {@code [0, size)} that {@code present} does not cover.
   *
   * @param present sorted, disjoint ranges, as {@link ContentWriter#present()} returns them
   * @param size the blob's size
   * @return the missing ranges, sorted; empty when everything is present
   */
  public static List<ByteRange> gaps(List<ByteRange> present, long size) {
    List<ByteRange> gaps = new ArrayList<>();
    long at = 0;
    for (ByteRange r : present) {
      if (r.start >= size) {
        break;
      }
      if (r.start > at) {
        gaps.add(new ByteRange(at, r.start));
      }
      at = Math.max(at, r.end);
    }
    if (at < size) {
      gaps.add(new ByteRange(at, size));
    }
    return gaps;
  }

  /**
   * The total length of {@code ranges}.
   *
   * @param ranges disjoint ranges
   * @return the sum of their lengths
   */
  public static long total(List<ByteRange> ranges) {
    long n = 0;
    for (ByteRange r : ranges) {
      n += r.length();
    }
    return n;
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
