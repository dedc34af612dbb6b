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
 */
public record IngestStatus(
    String ref, long offset, long total, Digest expected, Instant startedAt, Instant updatedAt) {

  public IngestStatus {
    Objects.requireNonNull(ref, "ref");
  }
}
