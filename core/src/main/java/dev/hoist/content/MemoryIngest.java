package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.time.Instant;
import java.util.Arrays;

/**
 * The bytes and state of one in-memory ingest. Guarded by the owning {@link InMemoryContentStore}'s
 * lock; a growing array rather than boxed bytes, doubling as it fills.
 */
final class MemoryIngest {

  final String ref;
  final long total;
  final Digest expected;
  final Instant startedAt;
  Instant updatedAt;

  /** True while a writer is open on this ingest: containerd locks the ref the same way. */
  boolean locked;

  private byte[] data = new byte[256];
  private int length;

  MemoryIngest(String ref, long total, Digest expected, Instant startedAt) {
    this.ref = ref;
    this.total = total;
    this.expected = expected;
    this.startedAt = startedAt;
    this.updatedAt = startedAt;
  }

  int length() {
    return length;
  }

  void append(byte[] src, int off, int len) {
    if ((long) length + len > Integer.MAX_VALUE - 8) {
      throw new dev.hoist.errors.InvalidArgumentException(
          "ingest " + ref + ": in-memory content is limited to 2 GiB");
    }
    if (length + len > data.length) {
      data =
          Arrays.copyOf(
              data, Math.max(length + len, Math.min(data.length * 2, Integer.MAX_VALUE - 8)));
    }
    System.arraycopy(src, off, data, length, len);
    length += len;
  }

  void truncate(int size) {
    length = size;
  }

  /** A copy of the first {@code length} bytes. */
  byte[] copy() {
    return Arrays.copyOf(data, length);
  }

  /** The underlying array; valid up to {@link #length()} until the next append. */
  byte[] array() {
    return data;
  }

  IngestStatus status() {
    return new IngestStatus(ref, length, total, expected, startedAt, updatedAt);
  }
}
