package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
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
