package dev.hoist.unpack;

import dev.hoist.client.ImageLayers;
import dev.hoist.images.Image;
import java.util.Objects;

/**
 * What {@link Rootfs#materialize} did.
 *
 * @param image the image
 * @param layers the layers of the chosen manifest
 * @param copied layers taken from a committed snapshot (copied, not applied)
 * @param applied layers applied straight into the target
 */
public record RootfsResult(Image image, ImageLayers layers, int copied, int applied) {

  /**
   * Checks the components.
   *
   * @param image the image
   * @param layers the layers
   * @param copied layers copied from a snapshot
   * @param applied layers applied
   */
  public RootfsResult {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(layers, "layers");
  }
}
