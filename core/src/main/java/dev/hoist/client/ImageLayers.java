package dev.hoist.client;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Platform;
import java.util.List;
import java.util.Objects;

/**
 * The layers an unpack of one image manifest applies, read and checked as {@link Client#unpack}
 * checks them before applying anything (layer count against DiffIDs, {@code rootfs.type}, history,
 * layer media types). For callers that apply the layers themselves, e.g. straight into a directory
 * without snapshots.
 *
 * @param config the manifest's config descriptor
 * @param platform the config's platform, normalised; null when the config names none
 * @param layers the manifest's layers, bottom first
 * @param diffIds the config's {@code rootfs.diff_ids}, one per layer
 * @param chainIds the chain ID of each layer (the snapshot name an unpack commits it under)
 */
public record ImageLayers(
    Descriptor config,
    Platform platform,
    List<Descriptor> layers,
    List<Digest> diffIds,
    List<Digest> chainIds) {

  /**
   * Copies the lists and checks that they have one element per layer.
   *
   * @param config the config descriptor
   * @param platform nullable
   * @param layers bottom first
   * @param diffIds one per layer
   * @param chainIds one per layer
   * @throws IllegalArgumentException when the lists differ in length
   */
  public ImageLayers {
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
    diffIds = List.copyOf(diffIds);
    chainIds = List.copyOf(chainIds);
    if (diffIds.size() != layers.size() || chainIds.size() != layers.size()) {
      throw new IllegalArgumentException(
          layers.size()
              + " layers, "
              + diffIds.size()
              + " DiffIDs, "
              + chainIds.size()
              + " chains");
    }
  }
}
