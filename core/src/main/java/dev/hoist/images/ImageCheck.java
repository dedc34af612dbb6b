package dev.hoist.images;

import dev.hoist.spec.Descriptor;
import java.util.List;

/**
 * Whether an image's content for one platform is in a store, as containerd's {@code images.Check}
 * (what {@code ctr images check} prints).
 *
 * @param available false when no manifest for the platform could be read (then {@code required} and
 *     {@code missing} hold the root alone)
 * @param required the manifest's config and layers
 * @param present those of {@code required} that are in the store
 * @param missing those that are not
 */
public record ImageCheck(
    boolean available,
    List<Descriptor> required,
    List<Descriptor> present,
    List<Descriptor> missing) {

  /**
   * Copies the lists.
   *
   * @param available false when no manifest for the platform could be read
   * @param required the manifest's config and layers
   * @param present those of {@code required} that are in the store
   * @param missing those that are not
   */
  public ImageCheck {
    required = List.copyOf(required);
    present = List.copyOf(present);
    missing = List.copyOf(missing);
  }

  /** {@return true when the image is available and nothing is missing} */
  public boolean complete() {
    return available && missing.isEmpty();
  }

  /** {@return the bytes of {@code present}} */
  public long presentSize() {
    return present.stream().mapToLong(Descriptor::size).sum();
  }

  /** {@return the bytes of {@code required}} */
  public long requiredSize() {
    return required.stream().mapToLong(Descriptor::size).sum();
  }
}
