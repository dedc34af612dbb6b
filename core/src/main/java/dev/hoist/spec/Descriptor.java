package dev.hoist.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor. Immutable; collections are never null.
 *
 * @param mediaType the media type of the referenced content
 * @param digest the digest of the referenced content
 * @param size its size in bytes, never negative
 * @param urls where else the content may be fetched from (foreign layers), possibly empty
 * @param annotations possibly empty; iterates in key order
 * @param platform nullable: only index entries carry one
 * @param artifactType nullable
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") @JsonInclude(JsonInclude.Include.ALWAYS) long size,
    @JsonProperty("urls") List<String> urls,
    @JsonProperty("annotations") Map<String, String> annotations,
    @JsonProperty("platform") Platform platform,
    @JsonProperty("artifactType") String artifactType) {

  /**
   * Validates (media type and digest required, size not negative) and copies the collections.
   *
   * @param mediaType the media type of the referenced content
   * @param digest the digest of the referenced content
   * @param size its size in bytes, never negative
   * @param urls where else the content may be fetched from (foreign layers), possibly empty
   * @param annotations possibly empty; iterates in key order
   * @param platform nullable: only index entries carry one
   * @param artifactType nullable
   */
  public Descriptor {
    if (mediaType == null) {
      throw new InvalidArgumentException("descriptor " + digest + ": missing mediaType");
    }
    if (digest == null) {
      throw new InvalidArgumentException("descriptor of type " + mediaType + ": missing digest");
    }
    if (size < 0) {
      throw new InvalidArgumentException("descriptor " + digest + ": negative size " + size);
    }
    urls = Copies.list(urls, "descriptor " + digest + ": urls");
    annotations = Copies.sortedMap(annotations, "descriptor " + digest + ": annotations");
  }

  /**
   * A descriptor with no urls, annotations, platform or artifact type.
   *
   * @param mediaType the media type of the content
   * @param digest the digest of the content
   * @param size its size in bytes, not negative
   * @return the descriptor
   */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, List.of(), Map.of(), null, null);
  }

  /**
   * This descriptor with platform {@code p} (null for none).
   *
   * @param p the platform, nullable
   * @return a copy with that platform
   */
  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, urls, annotations, p, artifactType);
  }

  /**
   * This descriptor with annotations {@code a} (null for none) in place of its own.
   *
   * @param a the annotations, nullable
   * @return a copy with those annotations
   */
  public Descriptor withAnnotations(Map<String, String> a) {
    return new Descriptor(mediaType, digest, size, urls, a, platform, artifactType);
  }

  /**
   * This descriptor with media type {@code m}.
   *
   * @param m the media type
   * @return a copy with that media type
   */
  public Descriptor withMediaType(String m) {
    return new Descriptor(m, digest, size, urls, annotations, platform, artifactType);
  }

  /**
   * Returns this descriptor's annotation {@code key}, or null.
   *
   * @param key the annotation key
   * @return its value, or null when the descriptor has no such annotation
   */
  public String annotation(String key) {
    return annotations.get(key);
  }

  /** Media type, digest and size: enough to tell descriptors apart in logs. */
  @Override
  public String toString() {
    return mediaType + " " + digest + " (" + size + " bytes)";
  }

  /**
   * True when the two descriptors name the same content.
   *
   * @param other the descriptor to compare, nullable
   * @return whether both have the same digest and size (media types and annotations may differ)
   */
  public boolean sameContent(Descriptor other) {
    return other != null && Objects.equals(digest, other.digest) && size == other.size;
  }
}
