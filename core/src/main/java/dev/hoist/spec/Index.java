package dev.hoist.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An image index (OCI) or manifest list (Docker): manifests, usually one per platform.
 *
 * @param schemaVersion the document's schema version, 2 (schema 1 is refused on read)
 * @param mediaType nullable (OCI makes it optional)
 * @param artifactType the type of an artifact index; nullable
 * @param manifests the manifests (or nested indexes), in document order; possibly empty
 * @param subject nullable
 * @param annotations possibly empty; iterates in key order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(
    @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("manifests") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations) {

  /**
   * Copies the manifests and annotations; null becomes empty, null elements are refused.
   *
   * @param schemaVersion the document's schema version, 2 (schema 1 is refused on read)
   * @param mediaType nullable (OCI makes it optional)
   * @param artifactType the type of an artifact index; nullable
   * @param manifests the manifests (or nested indexes), in document order; possibly empty
   * @param subject nullable
   * @param annotations possibly empty; iterates in key order
   */
  public Index {
    manifests = Copies.list(manifests, "index manifests");
    annotations = Copies.sortedMap(annotations, "index annotations");
  }
}
