package dev.hoist.testkit;

import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.testkit.internal.BytesBlob;
import dev.hoist.testkit.internal.SourceBlob;
import java.io.IOException;
import java.io.InputStream;

/**
 * Content a {@link TestRegistry} can serve: a digest, a size and a way to stream the bytes from any
 * offset. Implementations are immutable and thread-safe; large ones generate their bytes on the
 * fly, so a GiB blob costs no heap.
 */
public interface Blob {

  /** {@return the digest of the bytes {@link #open(long)} yields} */
  Digest digest();

  /** {@return the length in bytes} */
  long size();

  /**
   * A fresh stream of the bytes from {@code offset} to the end; the caller closes it.
   *
   * @param offset in {@code [0, size()]}
   * @return the stream, positioned at {@code offset}
   * @throws IOException when the bytes cannot be read (a file-backed blob)
   */
  InputStream open(long offset) throws IOException;

  /**
   * A fresh stream of all the bytes.
   *
   * @return the stream from byte 0
   * @throws IOException when the bytes cannot be read (a file-backed blob)
   */
  default InputStream open() throws IOException {
    return open(0);
  }

  /**
   * Reads the whole blob into an array: for manifests and configs. Refuses blobs over 64 MiB with
   * {@link FailedPreconditionException}, because large blobs are meant to be streamed.
   *
   * @return the blob's bytes
   * @throws FailedPreconditionException when the blob is over 64 MiB
   * @throws IOException when the bytes cannot be read (a file-backed blob)
   */
  default byte[] bytes() throws IOException {
    if (size() > 64L << 20) {
      throw new FailedPreconditionException(
          "blob " + digest() + " is " + size() + " bytes: stream it with open()");
    }
    try (InputStream in = open()) {
      return in.readAllBytes();
    }
  }

  /**
   * A blob holding a copy of {@code data}.
   *
   * @param data the content; copied
   * @return the blob
   */
  static Blob of(byte[] data) {
    return new BytesBlob(data);
  }

  /**
   * {@code size} pseudo-random bytes determined by {@code seed}. The bytes are generated on the fly
   * whenever the blob is read; the digest is computed now, by streaming the bytes once (and
   * remembered for this JVM, so a second blob with the same size and seed costs nothing).
   *
   * @param size the length in bytes
   * @param seed picks the bytes; equal seeds and sizes give equal blobs
   * @return the blob
   */
  static Blob random(long size, long seed) {
    if (size < 0) {
      throw new InvalidArgumentException("negative blob size " + size);
    }
    return SourceBlob.random(size, seed);
  }
}
