package dev.hoist.gc;

import dev.hoist.digest.Digest;
import java.util.List;

/**
 * What one collection removed (or, in a dry run, would remove).
 *
 * @param dryRun true when nothing was removed
 * @param marks what was reachable
 * @param blobs the unreachable blobs, sorted
 * @param bytes their total size
 * @param ingests the refs of the abandoned ingests
 * @param other what the extra {@link Sweeper}s reported
 */
public record GcResult(
    boolean dryRun,
    GcMarks marks,
    List<Digest> blobs,
    long bytes,
    List<String> ingests,
    List<String> other) {

  /**
   * Copies the lists.
   *
   * @param dryRun true when nothing was removed
   * @param marks what was reachable
   * @param blobs the unreachable blobs, sorted
   * @param bytes their total size
   * @param ingests the refs of the abandoned ingests
   * @param other what the extra {@link Sweeper}s reported
   */
  public GcResult {
    blobs = List.copyOf(blobs);
    ingests = List.copyOf(ingests);
    other = List.copyOf(other);
  }
}
