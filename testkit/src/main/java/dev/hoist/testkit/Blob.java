package dev.hoist.testkit;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.testkit.internal.BytesBlob;
import dev.hoist.testkit.internal.SourceBlob;
import java.io.IOException;
import java.io.InputStream;

/**
 * Content a {@link TestRegistry} can serve: a digest, a size and a way to stream the bytes from
 * any offset. Implementations are immutable and thread-safe; large ones generate their bytes on
 * the fly, so a GiB blob costs no heap.
 */
public interface Blob {

  /** The digest of the bytes {@link #open(long)} yields. */
  Digest digest();

  /** The length in bytes. */
  long size();

  /**
   * A fresh stream of the bytes from {@code offset} to the end; the caller closes it.
   *
   * @param offset in {@code [0, size()]}
   */
  InputStream open(long offset) throws IOException;

  /** A fresh stream of all the bytes. */
  default InputStream open() throws IOException {
    return open(0);
  }

  /**
   * Reads the whole blob into an array: for manifests and configs. Refuses blobs over 64 MiB
   * with {@link FailedPreconditionException}, because large blobs are meant to be streamed.
   */
  default byte[] bytes() throws IOException {
    if (size() > 64L << 20) {
      throw new FailedPreconditionException("blob " + digest() + " is " + size() + " bytes: stream it with open()");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    }
  }

  /** A blob holding a copy of {@code data}. */
  static Blob of(byte[] data) {
    return new BytesBlob(data);
  }

  /**
   * {@code size} pseudo-random bytes determined by {@code seed}. The bytes are generated on the
   * fly whenever the blob is read; the digest is computed now, by streaming the bytes once (and
   * remembered for this JVM, so a second blob with the same size and seed costs nothing).
   */
  static Blob random(long size, long seed) {
    if (size < 0) {
      throw new InvalidArgumentException("negative blob size " + size);
    }
    return SourceBlob.random(size, seed);
  }
}
