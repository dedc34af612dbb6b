package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store knows of one committed blob.
 *
 * @param digest the blob's digest
 * @param size its size in bytes
 * @param createdAt when it was committed; nullable
 * @param updatedAt when its labels last changed (or its commit); nullable
 * @param labels never null
 */
public record ContentInfo(
    Digest digest, long size, Instant createdAt, Instant updatedAt, Map<String, String> labels) {

  /**
   * Requires the digest and copies the labels (null becomes empty).
   *
   * @param digest the blob's digest
   * @param size its size in bytes
   * @param createdAt when it was committed; nullable
   * @param updatedAt when its labels last changed (or its commit); nullable
   * @param labels nullable; null becomes empty
   * @throws NullPointerException when {@code digest} is null
   */
  public ContentInfo {
    Objects.requireNonNull(digest, "digest");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /**
   * This info with other labels and update time.
   *
   * @param l the labels in place of the current ones; null for none
   * @param updated the new update time; nullable
   * @return a copy with those labels and update time
   */
  public ContentInfo withLabels(Map<String, String> l, Instant updated) {
    return new ContentInfo(digest, size, createdAt, updated, l);
  }
}
