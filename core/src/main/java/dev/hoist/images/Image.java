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
    String name, Descriptor target, Map<String, String> labels, Instant createdAt, Instant updatedAt) {

  public Image {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static Image of(String name, Descriptor target) {
    return new Image(name, target, Map.of(), null, null);
  }
}
