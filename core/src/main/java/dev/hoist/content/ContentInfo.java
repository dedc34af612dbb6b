package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store knows of one committed blob.
 *
 * @param labels never null
 */
public record ContentInfo(
    Digest digest, long size, Instant createdAt, Instant updatedAt, Map<String, String> labels) {

  public ContentInfo {
    Objects.requireNonNull(digest, "digest");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public ContentInfo withLabels(Map<String, String> l, Instant updated) {
    return new ContentInfo(digest, size, createdAt, updated, l);
  }
}
