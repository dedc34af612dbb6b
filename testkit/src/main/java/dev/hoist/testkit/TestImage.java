package dev.hoist.testkit;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A generated image: its descriptors and the blobs behind them. Push it with {@link
 * TestRegistry#push(String, TestImage)}, or compare what a client fetched against it.
 *
 * @param root the index when there is one, else the single manifest
 * @param index the index, or null for a single-platform image
 * @param manifests one per platform, in platform order; each carries its platform
 * @param configs one per platform, in platform order
 * @param layers all layers, platform by platform, in manifest order
 * @param blobs every blob of the image (index, manifests, configs, layers) by digest
 */
public record TestImage(
    Descriptor root,
    Descriptor index,
    List<Descriptor> manifests,
    List<Descriptor> configs,
    List<Descriptor> layers,
    Map<Digest, Blob> blobs) {

  /**
   * Copies the collections; the root is required.
   *
   * @param root the index when there is one, else the single manifest
   * @param index the index, or null for a single-platform image
   * @param manifests one per platform, in platform order; each carries its platform
   * @param configs one per platform, in platform order
   * @param layers all layers, platform by platform, in manifest order
   * @param blobs every blob of the image (index, manifests, configs, layers) by digest
   */
  public TestImage {
    if (root == null) {
      throw new InvalidArgumentException("an image needs a root descriptor");
    }
    manifests = List.copyOf(manifests);
    configs = List.copyOf(configs);
    layers = List.copyOf(layers);
    blobs = Map.copyOf(blobs);
  }

  /**
   * The blob behind {@code desc}; {@link InvalidArgumentException} when it is not part of this
   * image.
   *
   * @param desc a descriptor of this image
   * @return its blob
   * @throws InvalidArgumentException when {@code desc} is not part of this image
   */
  public Blob blob(Descriptor desc) {
    Blob b = blobs.get(desc.digest());
    if (b == null) {
      throw new InvalidArgumentException(desc + " is not part of this image");
    }
    return b;
  }

  /**
   * The bytes of a small blob (manifest, index, config).
   *
   * @param desc a descriptor of this image
   * @return the blob's bytes
   * @throws InvalidArgumentException when {@code desc} is not part of this image
   * @throws dev.hoist.errors.FailedPreconditionException when the blob is over 64 MiB
   * @throws IOException when the bytes cannot be read
   */
  public byte[] bytes(Descriptor desc) throws IOException {
    return blob(desc).bytes();
  }

  /** {@return the total bytes of all blobs} */
  public long totalSize() {
    return blobs.values().stream().mapToLong(Blob::size).sum();
  }
}
