package dev.hoist.diff;

import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.spec.Descriptor;

/** The check every unpack makes after applying a layer: its DiffID against the image config's. */
public final class DiffIds {

  private DiffIds() {}

  /**
   * Checks the DiffID computed while applying layer {@code index} of {@code image}.
   *
   * @param image the image's name, for the message
   * @param index the layer's index in the manifest
   * @param layer the layer's descriptor
   * @param expected {@code rootfs.diff_ids[index]} of the config
   * @param actual what the applier computed
   * @throws DigestMismatchException naming the image, the layer index and digest, and both DiffIDs
   *     when they differ
   */
  public static void check(
      String image, int index, Descriptor layer, Digest expected, Digest actual) {
    if (!expected.equals(actual)) {
      throw new DigestMismatchException(
          "image " + image + ": layer " + index + " (" + layer.digest() + ") has the wrong DiffID",
          expected,
          actual);
    }
  }
}
