package dev.hoist.unpack.internal.tar;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Picks the decompressor of a layer by its first bytes, as containerd's {@code
 * compression.DecompressStream}: gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd}, anything else is
 * taken as a plain tar. The media type is not consulted: registries and tools mislabel layers, and
 * the magic bytes cannot lie about the format.
 */
public final class Decompression {

  /** The formats told apart by magic bytes. */
  public enum Format {
    GZIP,
    ZSTD,
    NONE
  }

  private Decompression() {}

  /** A stream positioned at the start of the layer, with the format its magic bytes name. */
  public record Detected(Format format, InputStream stream) {}

  /** Reads up to four bytes of {@code in} and returns the format and the whole stream again. */
  public static Detected detect(InputStream in) throws IOException {
    byte[] head = new byte[4];
    int n = 0;
    while (n < head.length) {
      int r = in.read(head, n, head.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    Format format = formatOf(head, n);
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head, 0, n), in);
    return new Detected(format, whole);
  }

  /** Returns the format named by the first {@code n} bytes of {@code head}. */
  public static Format formatOf(byte[] head, int n) {
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Format.GZIP;
    }
    if (n >= 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return Format.ZSTD;
    }
    return Format.NONE;
  }

  /** Returns the decompressed stream of {@code detected}. */
  public static InputStream open(Detected detected, int bufferSize) throws IOException {
    switch (detected.format()) {
      case GZIP:
        return new GzipMembersInputStream(detected.stream(), bufferSize);
      case ZSTD:
        return Zstd.open(detected.stream(), bufferSize);
      default:
        return detected.stream();
    }
  }
}
