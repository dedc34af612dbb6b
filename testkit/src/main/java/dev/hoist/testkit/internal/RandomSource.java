package dev.hoist.testkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Pseudo-random bytes from a seed. Each 8-byte word is SplitMix64's finaliser applied to {@code
 * seed + (k + 1) * golden}, a counter-based generator: any offset can be read without generating
 * what precedes it (Range requests), and filling runs at several GiB/s.
 */
public final class RandomSource implements PositionalSource {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long size;
  private final long seed;

  public RandomSource(long size, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    this.size = size;
    this.seed = seed;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void read(long pos, byte[] b, int off, int len) {
    int i = 0;
    // Unaligned head: byte j of word k is bits [8j, 8j+8) of word(k), little-endian.
    while (i < len && ((pos + i) & 7) != 0) {
      b[off + i] = byteAt(pos + i);
      i++;
    }
    long k = (pos + i) >>> 3;
    while (len - i >= 8) {
      LONGS.set(b, off + i, word(k++));
      i += 8;
    }
    while (i < len) {
      b[off + i] = byteAt(pos + i);
      i++;
    }
  }

  private byte byteAt(long p) {
    return (byte) (word(p >>> 3) >>> ((p & 7) * 8));
  }

  private long word(long k) {
    long z = seed + (k + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
