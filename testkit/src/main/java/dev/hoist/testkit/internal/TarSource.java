package dev.hoist.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A ustar archive holding one regular file whose content is another source: a 512-byte header, the
 * content padded to 512 bytes, and the two zero blocks that end an archive. Sizes past the 11 octal
 * digits of ustar (8 GiB) use the GNU base-256 encoding.
 */
public final class TarSource implements PositionalSource {

  private static final int BLOCK = 512;

  private final byte[] header;
  private final PositionalSource content;
  private final long size;

  public TarSource(String fileName, PositionalSource content) {
    this.content = content;
    this.header = header(fileName, content.size());
    long padded = (content.size() + BLOCK - 1) / BLOCK * BLOCK;
    this.size = BLOCK + padded + 2L * BLOCK;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void read(long pos, byte[] b, int off, int len) {
    int i = 0;
    while (i < len) {
      long p = pos + i;
      int n;
      if (p < BLOCK) {
        n = (int) Math.min(len - i, BLOCK - p);
        System.arraycopy(header, (int) p, b, off + i, n);
      } else if (p - BLOCK < content.size()) {
        n = (int) Math.min(len - i, content.size() - (p - BLOCK));
        content.read(p - BLOCK, b, off + i, n);
      } else {
        n = len - i; // padding and end-of-archive blocks are zeros
        Arrays.fill(b, off + i, off + len, (byte) 0);
      }
      i += n;
    }
  }

  private static byte[] header(String name, long fileSize) {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      throw new IllegalArgumentException("tar entry name longer than 100 bytes: " + name);
    }
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (fileSize < 077777777777L) {
      octal(h, 124, 12, fileSize);
    } else {
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (fileSize >>> (8 * i));
      }
    }
    octal(h, 136, 12, 0); // mtime: the epoch, so that archives are reproducible
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = '0';
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    long sum = 0;
    for (byte x : h) {
      sum += x & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  /** Writes {@code value} as zero-padded octal in {@code width - 1} digits plus a NUL. */
  private static void octal(byte[] h, int at, int width, long value) {
    String s = Long.toOctalString(value);
    int digits = width - 1;
    for (int i = 0; i < digits; i++) {
      int from = s.length() - digits + i;
      h[at + i] = (byte) (from < 0 ? '0' : s.charAt(from));
    }
    h[at + digits] = 0;
  }
}
