package dev.hoist.images;

import dev.hoist.spec.Descriptor;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named image: a reference name and the root descriptor it points to.
 *
 * @param name the full normalised name, e.g. {@code docker.io/library/nginx:latest}
 * @param target the root descriptor (index or manifest)
 * @param labels never null
 * @param createdAt nullable until stored
 * @param updatedAt nullable until stored
 */
public record Image(
    String name,
    Descriptor target,
    Map<String, String> labels,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks the name and target and copies the labels.
   *
   * @param name the full normalised name, e.g. {@code docker.io/library/nginx:latest}
   * @param target the root descriptor (index or manifest)
   * @param labels nullable; null becomes empty
   * @param createdAt nullable until stored
   * @param updatedAt nullable until stored
   * @throws NullPointerException when {@code name} or {@code target} is null
   */
  public Image {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /**
   * An image without labels or timestamps, ready to be stored.
   *
   * @param name the full normalised name
   * @param target the root descriptor
   * @return the image
   */
  public static Image of(String name, Descriptor target) {
    return new Image(name, target, Map.of(), null, null);
  }
}
