package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.testkit.Blob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * A gzip-compressed tar layer generated on the fly: a gzip header, the deflated tar stream ({@link
 * DeflaterInputStream} pulls and compresses as it is read, so nothing is buffered beyond 1 MiB) and
 * a trailer with the CRC-32 and length of the tar. Deflate is deterministic for one JVM, so each
 * read yields the bytes hashed at construction. {@link #diffId()} is the digest of the uncompressed
 * tar, as an image config's {@code rootfs.diff_ids} needs.
 */
public final class GzipTarBlob implements Blob {

  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final PositionalSource tar;
  private final Digest digest;
  private final long size;
  private final Digest diffId;

  /**
   * Results of hashing seeded layers, so that rebuilding a large test image does not hash it again.
   */
  private static final Map<List<Object>, GzipTarBlob> CACHE = new ConcurrentHashMap<>();

  private GzipTarBlob(PositionalSource tar, Digest digest, long size, Digest diffId) {
    this.tar = tar;
    this.digest = digest;
    this.size = size;
    this.diffId = diffId;
  }

  /**
   * A tar.gz holding one file {@code name} of {@code size} random bytes from {@code seed}; hashed
   * once per JVM.
   */
  public static GzipTarBlob random(String name, long size, long seed) {
    GzipTarBlob b =
        CACHE.computeIfAbsent(
            List.of(name, size, seed),
            k -> new GzipTarBlob(new TarSource(name, new RandomSource(size, seed))));
    return new GzipTarBlob(
        new TarSource(name, new RandomSource(size, seed)), b.digest, b.size, b.diffId);
  }

  public GzipTarBlob(PositionalSource tar) {
    this.tar = tar;
    this.diffId = SourceBlob.digestOf(tar);
    Digester d = Digester.sha256();
    try (InputStream in = stream()) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new IllegalStateException("generating a tar.gz layer in memory failed", e);
    }
    this.digest = d.digest();
    this.size = d.count();
  }

  /** The digest of the uncompressed tar. */
  public Digest diffId() {
    return diffId;
  }

  @Override
  public Digest digest() {
    return digest;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public InputStream open(long offset) throws IOException {
    if (offset < 0 || offset > size) {
      throw new IllegalArgumentException("offset " + offset + " outside [0, " + size + "]");
    }
    InputStream in = stream();
    in.skipNBytes(offset);
    return in;
  }

  private InputStream stream() {
    CheckedInputStream checked = new CheckedInputStream(new SourceInputStream(tar, 0), new CRC32());
    Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    InputStream body =
        new DeflaterInputStream(checked, deflater, 1 << 16) {
          @Override
          public void close() throws IOException {
            super.close();
            deflater.end(); // a caller-supplied Deflater is not ended by the stream
          }
        };
    Enumeration<InputStream> parts =
        new Enumeration<>() {
          private int next;

          @Override
          public boolean hasMoreElements() {
            return next < 3;
          }

          @Override
          public InputStream nextElement() {
            switch (next++) {
              case 0:
                return new ByteArrayInputStream(GZIP_HEADER);
              case 1:
                return body;
              case 2:
                return new ByteArrayInputStream(
                    trailer(checked.getChecksum().getValue(), tar.size()));
              default:
                throw new NoSuchElementException();
            }
          }
        };
    return new SequenceInputStream(parts);
  }

  private static byte[] trailer(long crc, long length) {
    byte[] t = new byte[8];
    for (int i = 0; i < 4; i++) {
      t[i] = (byte) (crc >>> (8 * i));
      t[4 + i] = (byte) (length >>> (8 * i)); // ISIZE is the length modulo 2^32
    }
    return t;
  }

  @Override
  public String toString() {
    return "generated tar.gz blob " + digest + " (" + size + " bytes)";
  }
}
