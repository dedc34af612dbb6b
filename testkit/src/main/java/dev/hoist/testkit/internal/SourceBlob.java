package dev.hoist.testkit.internal;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.testkit.Blob;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A blob whose bytes come from a {@link PositionalSource}; its digest is computed once, streaming.
 */
public final class SourceBlob implements Blob {

  private final PositionalSource source;
  private final Digest digest;

  private SourceBlob(PositionalSource source, Digest digest) {
    this.source = source;
    this.digest = digest;
  }

  /**
   * Digests of seeded random content, so that rebuilding a GiB test image does not hash it again.
   */
  private static final Map<List<Long>, Digest> RANDOM_DIGESTS = new ConcurrentHashMap<>();

  /** Hashes {@code source} (one pass, 1 MiB at a time) and wraps it. */
  public static SourceBlob of(PositionalSource source) {
    return new SourceBlob(source, digestOf(source));
  }

  /**
   * {@code size} bytes of {@link RandomSource} content; the digest is computed once per JVM and
   * (size, seed).
   */
  public static SourceBlob random(long size, long seed) {
    RandomSource source = new RandomSource(size, seed);
    if (size < (1 << 20)) {
      return of(source);
    }
    return new SourceBlob(
        source, RANDOM_DIGESTS.computeIfAbsent(List.of(size, seed), k -> digestOf(source)));
  }

  static Digest digestOf(PositionalSource source) {
    Digester d = Digester.sha256();
    byte[] buf = new byte[1 << 20];
    for (long pos = 0; pos < source.size(); ) {
      int n = (int) Math.min(buf.length, source.size() - pos);
      source.read(pos, buf, 0, n);
      d.update(buf, 0, n);
      pos += n;
    }
    return d.digest();
  }

  @Override
  public Digest digest() {
    return digest;
  }

  @Override
  public long size() {
    return source.size();
  }

  @Override
  public InputStream open(long offset) {
    return new SourceInputStream(source, offset);
  }

  @Override
  public String toString() {
    return "generated blob " + digest + " (" + source.size() + " bytes)";
  }
}
