package dev.hoist.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.hoist.errors.InvalidArgumentException;
import java.util.List;

/**
 * An OCI platform: the os and architecture an image runs on. Immutable; {@code osFeatures} is never
 * null. Parsing, formatting and normalisation live in {@code dev.hoist.platforms.Platforms}.
 *
 * @param os e.g. {@code linux}
 * @param architecture e.g. {@code amd64}
 * @param variant nullable, e.g. {@code v8}
 * @param osVersion nullable, used by Windows images
 * @param osFeatures possibly empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// The field order of the image spec's Go type, so documents written by Go tools round-trip.
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant"})
public record Platform(
    @JsonProperty("os") String os,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("variant") String variant,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures) {

  /**
   * Requires os and architecture; empty variant and os version become null; copies features.
   *
   * @param os e.g. {@code linux}
   * @param architecture e.g. {@code amd64}
   * @param variant nullable, e.g. {@code v8}
   * @param osVersion nullable, used by Windows images
   * @param osFeatures possibly empty
   */
  public Platform {
    if (os == null) {
      throw new InvalidArgumentException("platform: missing os");
    }
    if (architecture == null) {
      throw new InvalidArgumentException("platform " + os + ": missing architecture");
    }
    variant = variant == null || variant.isEmpty() ? null : variant;
    osVersion = osVersion == null || osVersion.isEmpty() ? null : osVersion;
    osFeatures = Copies.list(osFeatures, "platform " + os + "/" + architecture + ": os.features");
  }

  /**
   * A platform with no variant, os version or features.
   *
   * @param os e.g. {@code linux}
   * @param architecture e.g. {@code amd64}
   * @return the platform
   */
  public static Platform of(String os, String architecture) {
    return new Platform(os, architecture, null, null, List.of());
  }

  /**
   * A platform with a variant (null for none) and no os version or features.
   *
   * @param os e.g. {@code linux}
   * @param architecture e.g. {@code arm64}
   * @param variant e.g. {@code v8}; nullable
   * @return the platform
   */
  public static Platform of(String os, String architecture, String variant) {
    return new Platform(os, architecture, variant, null, List.of());
  }

  /**
   * This platform with variant {@code v} (null for none).
   *
   * @param v the variant, nullable
   * @return a copy with that variant
   */
  public Platform withVariant(String v) {
    return new Platform(os, architecture, v, osVersion, osFeatures);
  }

  /** {@code os/arch[/variant]}, as {@code Platforms.format} writes it. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
