package dev.hoist.client;

import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Platform;
import java.util.Objects;

/**
 * An image unpacked into snapshots by {@link Client#pull} or {@link Client#unpack}.
 *
 * @param image the image as recorded
 * @param platform the platform of the unpacked manifest, from its config; null when the config
 *     names none
 * @param config the unpacked manifest's config
 * @param chainId the top layer's chain ID: the committed snapshot that holds the whole root
 *     filesystem; null for an image without layers
 * @param applied layers applied by this call
 * @param reused layers whose snapshot was already committed (neither fetched nor applied)
 */
public record UnpackedImage(
    Image image, Platform platform, Descriptor config, Digest chainId, int applied, int reused) {

  /**
   * Checks the non-null components.
   *
   * @param image the image as recorded
   * @param platform nullable
   * @param config the config descriptor
   * @param chainId nullable (no layers)
   * @param applied layers applied
   * @param reused layers reused
   */
  public UnpackedImage {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(config, "config");
  }
}
