package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of a write in progress.
 *
 * @param ref the ingest ref the writer was opened with
 * @param offset bytes written so far
 * @param total the expected size, or 0 when unknown
 * @param expected the expected digest, or null when unknown
 * @param startedAt when the ingest began; nullable
 * @param updatedAt when it was last written; nullable
 */
public record IngestStatus(
    String ref, long offset, long total, Digest expected, Instant startedAt, Instant updatedAt) {

  /**
   * Requires the ref.
   *
   * @param ref the ingest ref the writer was opened with
   * @param offset bytes written so far
   * @param total the expected size, or 0 when unknown
   * @param expected the expected digest, or null when unknown
   * @param startedAt when the ingest began; nullable
   * @param updatedAt when it was last written; nullable
   * @throws NullPointerException when {@code ref} is null
   */
  public IngestStatus {
    Objects.requireNonNull(ref, "ref");
  }
}
