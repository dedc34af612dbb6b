package dev.hoist.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An image manifest (OCI or Docker schema 2): a config and ordered layers.
 *
 * @param schemaVersion the document's schema version, 2 (schema 1 is refused on read)
 * @param mediaType nullable (OCI makes it optional)
 * @param artifactType the type of an artifact manifest; nullable
 * @param config the image configuration (or an artifact's config blob)
 * @param layers the layers, base first; possibly empty
 * @param subject nullable
 * @param annotations possibly empty; iterates in key order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Manifest(
    @JsonProperty("schemaVersion") @JsonInclude(JsonInclude.Include.ALWAYS) int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations) {

  /**
   * Copies the layers and annotations; null becomes empty, null elements are refused.
   *
   * @param schemaVersion the document's schema version, 2 (schema 1 is refused on read)
   * @param mediaType nullable (OCI makes it optional)
   * @param artifactType the type of an artifact manifest; nullable
   * @param config the image configuration (or an artifact's config blob)
   * @param layers the layers, base first; possibly empty
   * @param subject nullable
   * @param annotations possibly empty; iterates in key order
   */
  public Manifest {
    layers = Copies.list(layers, "manifest layers");
    annotations = Copies.sortedMap(annotations, "manifest annotations");
  }
}
