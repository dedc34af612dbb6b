package dev.hoist.client.internal;

import dev.hoist.content.Blobs;
import dev.hoist.content.ContentProvider;
import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.images.Images;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an unpack of one image manifest will do, read and checked before anything is applied (as
 * docker's pull does): the layers, their DiffIDs from the config, and the chain IDs.
 *
 * @param image the image name, for messages
 * @param config the manifest's config descriptor
 * @param platform the config's platform, normalised; null when the config names none
 * @param layers the manifest's layers, bottom first
 * @param diffIds the config's {@code rootfs.diff_ids}, as long as {@code layers}
 * @param chainIds the chain ID of each layer
 */
public record UnpackPlan(
    String image,
    Descriptor config,
    Platform platform,
    List<Descriptor> layers,
    List<Digest> diffIds,
    List<Digest> chainIds) {

  /** Copies the lists. */
  public UnpackPlan {
    layers = List.copyOf(layers);
    diffIds = List.copyOf(diffIds);
    chainIds = List.copyOf(chainIds);
  }

  /** The top chain ID, or null for an image without layers. */
  public Digest top() {
    return chainIds.isEmpty() ? null : chainIds.get(chainIds.size() - 1);
  }

  /**
   * Reads the manifest of {@code root} that {@code matcher} prefers and its config from {@code
   * provider}, and checks them: {@code rootfs.type} is {@code layers}, there are as many DiffIDs as
   * layers, no more non-empty history entries than DiffIDs, every layer is a layer media type.
   *
   * @throws InvalidArgumentException naming the image when a check fails
   * @throws NotImplementedException when a layer's media type cannot be unpacked
   * @throws dev.hoist.errors.NotFoundException when the manifest or config is missing
   */
  public static UnpackPlan read(
      ContentProvider provider,
      String image,
      Descriptor root,
      MatchComparer matcher,
      long maxBytes) {
    Manifest manifest = Images.manifest(provider, root, matcher);
    Descriptor configDesc = manifest.config();
    String where = "image " + image + " config " + configDesc.digest();
    byte[] json = Blobs.readAll(provider, configDesc, maxBytes);
    ImageConfig config = OciJson.readConfig(json, where);
    ImageConfig.RootFs rootfs = config.rootfs();
    if (rootfs == null || !"layers".equals(rootfs.type())) {
      throw new InvalidArgumentException(
          where
              + ": rootfs.type is "
              + (rootfs == null ? "missing" : "\"" + rootfs.type() + "\"")
              + ", expected \"layers\"");
    }
    List<Descriptor> layers = manifest.layers();
    if (layers.size() != rootfs.diffIds().size()) {
      throw new InvalidArgumentException(
          where
              + ": "
              + layers.size()
              + " layers in the manifest but "
              + rootfs.diffIds().size()
              + " rootfs.diff_ids");
    }
    long nonEmptyHistory = nonEmptyHistory(json, where);
    if (nonEmptyHistory > rootfs.diffIds().size()) {
      throw new InvalidArgumentException(
          where
              + ": "
              + nonEmptyHistory
              + " non-empty history entries but only "
              + rootfs.diffIds().size()
              + " rootfs.diff_ids");
    }
    List<Digest> diffIds = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor layer = layers.get(i);
      if (!MediaTypes.isLayer(layer.mediaType())) {
        throw new NotImplementedException(
            "image "
                + image
                + ": layer "
                + i
                + " ("
                + layer.digest()
                + ") has media type "
                + layer.mediaType()
                + ", which is not a layer that can be unpacked");
      }
      String diffId = rootfs.diffIds().get(i);
      if (!Digest.isValid(diffId)) {
        throw new InvalidArgumentException(
            where + ": rootfs.diff_ids[" + i + "] is not a digest: " + quote(diffId));
      }
      diffIds.add(Digest.parse(diffId));
    }
    Platform platform = config.platform() == null ? null : Platforms.normalize(config.platform());
    return new UnpackPlan(image, configDesc, platform, layers, diffIds, ChainIds.of(diffIds));
  }

  private static long nonEmptyHistory(byte[] json, String where) {
    Object history;
    try {
      Object doc = Json.parse(json);
      history = doc instanceof Map ? ((Map<?, ?>) doc).get("history") : null;
    } catch (IOException e) {
      throw new InvalidArgumentException(where + ": not JSON: " + e.getMessage(), e);
    }
    if (history == null) {
      return 0;
    }
    if (!(history instanceof List)) {
      throw new InvalidArgumentException(where + ": history is not an array");
    }
    long count = 0;
    for (Object entry : (List<?>) history) {
      boolean empty =
          entry instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) entry).get("empty_layer"));
      if (!empty) {
        count++;
      }
    }
    return count;
  }

  private static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
