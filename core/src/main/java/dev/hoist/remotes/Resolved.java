package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;
import java.util.Objects;

/**
 * The outcome of resolving a reference.
 *
 * @param name the normalised reference that was resolved, e.g. {@code
 *     docker.io/library/nginx:latest}
 * @param descriptor the root descriptor (index or manifest) it points to
 */
public record Resolved(String name, Descriptor descriptor) {
  /**
   * Requires both components.
   *
   * @param name the normalised reference that was resolved, e.g. {@code
   *     docker.io/library/nginx:latest}
   * @param descriptor the root descriptor (index or manifest) it points to
   * @throws NullPointerException when {@code name} or {@code descriptor} is null
   */
  public Resolved {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(descriptor, "descriptor");
  }
}
