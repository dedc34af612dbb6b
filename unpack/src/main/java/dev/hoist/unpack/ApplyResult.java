package dev.hoist.unpack;

import dev.hoist.digest.Digest;
import java.util.Objects;

/**
 * What one {@link TarApplier#apply} did.
 *
 * @param diffId the sha256 of the whole uncompressed layer stream (the OCI DiffID)
 * @param uncompressedSize bytes of the uncompressed stream, trailing padding included
 * @param entries tar entries read, whiteouts and skipped entries included
 * @param skipped what could not be applied and was skipped instead (never null)
 */
public record ApplyResult(Digest diffId, long uncompressedSize, long entries, SkipCounts skipped) {

  /**
   * Checks that no component is null or negative.
   *
   * @param diffId the sha256 of the whole uncompressed layer stream (the OCI DiffID)
   * @param uncompressedSize bytes of the uncompressed stream, trailing padding included
   * @param entries tar entries read, whiteouts and skipped entries included
   * @param skipped what could not be applied and was skipped instead (never null)
   */
  public ApplyResult {
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(skipped, "skipped");
    if (uncompressedSize < 0 || entries < 0) {
      throw new IllegalArgumentException("negative size or entry count");
    }
  }
}
