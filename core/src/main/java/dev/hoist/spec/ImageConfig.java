package dev.hoist.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The parts of an image configuration Hoist reads: platform fields and the root filesystem. Other
 * fields are ignored on read.
 *
 * @param architecture the CPU architecture, e.g. {@code amd64}; nullable
 * @param os the operating system, e.g. {@code linux}; nullable
 * @param variant the CPU variant, e.g. {@code v8}; nullable
 * @param osVersion the operating system version (Windows); nullable
 * @param osFeatures required operating system features; possibly empty
 * @param created when the image was created, as the RFC 3339 text of the document; nullable
 * @param rootfs the layers' uncompressed digests; nullable
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageConfig(
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    @JsonProperty("created") String created,
    @JsonProperty("rootfs") RootFs rootfs) {

  /**
   * Copies {@code osFeatures}; null becomes empty.
   *
   * @param architecture the CPU architecture, e.g. {@code amd64}; nullable
   * @param os the operating system, e.g. {@code linux}; nullable
   * @param variant the CPU variant, e.g. {@code v8}; nullable
   * @param osVersion the operating system version (Windows); nullable
   * @param osFeatures required operating system features; possibly empty
   * @param created when the image was created, as the RFC 3339 text of the document; nullable
   * @param rootfs the layers' uncompressed digests; nullable
   */
  public ImageConfig {
    osFeatures = Copies.list(osFeatures, "image config os.features");
  }

  /**
   * {@return the platform this configuration describes, or null when os or architecture is missing}
   */
  public Platform platform() {
    if (os == null || architecture == null) {
      return null;
    }
    return new Platform(os, architecture, variant, osVersion, osFeatures);
  }

  /**
   * The layer diff ids.
   *
   * @param type always {@code layers} in valid images
   * @param diffIds the digests of the uncompressed layers, in order; possibly empty
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RootFs(
      @JsonProperty("type") String type, @JsonProperty("diff_ids") List<String> diffIds) {
    /**
     * Copies {@code diffIds}; null becomes empty.
     *
     * @param type always {@code layers} in valid images
     * @param diffIds the digests of the uncompressed layers, in order; possibly empty
     */
    public RootFs {
      diffIds = Copies.list(diffIds, "image config rootfs.diff_ids");
    }
  }
}
