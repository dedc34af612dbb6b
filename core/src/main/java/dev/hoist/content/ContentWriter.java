package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.Map;

/**
 * A write in progress. Bytes are hashed as they are written. {@link #close()} without {@link
 * #commit} keeps what was written so that a later writer for the same ref resumes from it.
 *
 * <p>Not thread-safe: a writer is used by one thread at a time (as containerd's, whose {@code
 * Digest()} "cannot be called concurrently with Write"). The store is what coordinates writers:
 * only one writer at a time holds a ref.
 */
public interface ContentWriter extends WritableByteChannel {

  /** Appends all remaining bytes of {@code src}. */
  @Override
  int write(ByteBuffer src) throws IOException;

  /**
   * Whether {@link #writeAt} works: the writer keeps bytes that arrive out of order, so that a blob
   * fetched as parallel ranges loses nothing already received when the fetch stops.
   *
   * @return true when {@link #writeAt} and a meaningful {@link #present()} are supported
   */
  default boolean supportsWriteAt() {
    return false;
  }

  /**
   * Writes all remaining bytes of {@code src} at {@code position}, which may lie beyond the bytes
   * written so far. Bytes before the status offset are skipped (they are hashed already); bytes
   * beyond it that were written before are written again. The {@linkplain #digest() digest} and the
   * status offset cover the contiguous prefix only; they grow over kept bytes as the prefix reaches
   * them, so {@link #commit} verifies the whole blob as before.
   *
   * <p>Unlike the other methods, this one may be called from several threads at once (one range
   * each), and concurrently with {@link #status()} and {@link #present()}.
   *
   * @param position where the first byte of {@code src} belongs, zero or more
   * @param src the bytes
   * @throws IOException when the ingest cannot be written
   * @throws UnsupportedOperationException when {@link #supportsWriteAt()} is false
   */
  default void writeAt(long position, ByteBuffer src) throws IOException {
    throw new UnsupportedOperationException(getClass().getName() + " does not support writeAt");
  }

  /**
   * The byte ranges this ingest holds, sorted and disjoint: the contiguous prefix and, with {@link
   * #supportsWriteAt()}, whatever was kept beyond it (also after a restart).
   *
   * @return the present ranges; empty when nothing was written
   * @throws IOException when the ingest cannot be read
   */
  default List<ByteRange> present() throws IOException {
    long offset = status().offset();
    return offset > 0 ? List.of(new ByteRange(0, offset)) : List.of();
  }

  /**
   * Offset, total and times of this ingest.
   *
   * @return the ingest's status; its offset is where the next write lands
   * @throws IOException when the ingest cannot be read
   */
  IngestStatus status() throws IOException;

  /** {@return the digest of the bytes written so far} */
  Digest digest();

  /**
   * Discards everything past {@code size}; only {@code 0} must be supported.
   *
   * @param size the new length of the ingest
   * @throws IOException when the ingest cannot be written
   */
  void truncate(long size) throws IOException;

  /**
   * Verifies and publishes the content. On success the writer is closed and the blob is visible to
   * readers; on failure nothing is visible.
   *
   * @param size the expected size, or {@code <= 0} to skip the size check
   * @param expected the expected digest, or null to accept what was written
   * @param labels labels for the committed blob; possibly empty
   * @throws dev.hoist.errors.FailedPreconditionException when the size differs
   * @throws dev.hoist.errors.DigestMismatchException when the digest differs
   * @throws dev.hoist.errors.AlreadyExistsException when the blob was committed by someone else
   * @throws IOException when the store cannot be written
   */
  void commit(long size, Digest expected, Map<String, String> labels) throws IOException;

  /** {@return a stream view of this writer; closing the stream closes the writer} */
  default OutputStream asOutputStream() {
    return Channels.newOutputStream(this);
  }
}
