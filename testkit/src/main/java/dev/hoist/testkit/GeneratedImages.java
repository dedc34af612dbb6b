package dev.hoist.testkit;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testkit.internal.GzipTarBlob;
import dev.hoist.testkit.internal.SourceBlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds test images: valid manifests, configs and indexes over generated layers.
 *
 * <p>Raw random layers get the uncompressed layer media type ({@code ...layer.v1.tar} or Docker's
 * {@code rootfs.diff.tar}), so that {@code diff_ids} equal to their digests are correct. With
 * {@link ImageSpec.Builder#tarGzLayers()} each layer is a real tar.gz holding one random file, and
 * {@code diff_ids} are the digests of the uncompressed tars. Layer bytes are generated on the fly
 * whenever they are read; building the image streams each layer once to compute its digest.
 */
public final class GeneratedImages {

  private static final String CREATED = "1970-01-01T00:00:00Z";

  private GeneratedImages() {}

  /** {@return a random image: linux/amd64, one 1 KiB layer, OCI media types, seed 1} */
  public static TestImage random() {
    return random(ImageSpec.builder().build());
  }

  /**
   * An image as {@code spec} describes it; equal specs give equal digests.
   *
   * @param spec the platforms, layers, media types and seed
   * @return the image, its blobs generated on the fly
   */
  public static TestImage random(ImageSpec spec) {
    Map<Digest, Blob> blobs = new LinkedHashMap<>();
    List<Descriptor> manifests = new ArrayList<>();
    List<Descriptor> configs = new ArrayList<>();
    List<Descriptor> allLayers = new ArrayList<>();
    for (int p = 0; p < spec.platforms().size(); p++) {
      Platform platform = spec.platforms().get(p);
      List<Descriptor> layers = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      for (int l = 0; l < spec.layerCount(); l++) {
        long seed = mix(spec.seed(), p, l);
        Blob blob;
        String mediaType;
        Digest diffId;
        if (spec.tarGzLayers()) {
          GzipTarBlob gz = GzipTarBlob.random("layer" + l + "/data.bin", spec.layerSize(), seed);
          blob = gz;
          diffId = gz.diffId();
          mediaType = spec.docker() ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
        } else {
          blob = SourceBlob.random(spec.layerSize(), seed);
          diffId = blob.digest();
          mediaType = spec.docker() ? MediaTypes.DOCKER_LAYER : MediaTypes.OCI_LAYER;
        }
        blobs.put(blob.digest(), blob);
        layers.add(Descriptor.of(mediaType, blob.digest(), blob.size()));
        diffIds.add(diffId.toString());
      }
      ImageConfig config =
          new ImageConfig(
              platform.architecture(),
              platform.os(),
              platform.variant(),
              platform.osVersion(),
              platform.osFeatures(),
              CREATED,
              new ImageConfig.RootFs("layers", diffIds));
      Descriptor configDesc =
          add(
              blobs,
              OciJson.write(config),
              spec.docker() ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG);
      String manifestType = spec.docker() ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
      Manifest manifest = new Manifest(2, manifestType, null, configDesc, layers, null, null);
      Descriptor manifestDesc =
          add(blobs, OciJson.write(manifest), manifestType).withPlatform(platform);
      configs.add(configDesc);
      manifests.add(manifestDesc);
      allLayers.addAll(layers);
    }
    Descriptor index = null;
    Descriptor root = manifests.get(0).withPlatform(null);
    if (spec.hasIndex()) {
      String indexType = spec.docker() ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX;
      index =
          add(
              blobs,
              OciJson.write(new Index(2, indexType, null, manifests, null, null)),
              indexType);
      root = index;
    }
    return new TestImage(root, index, manifests, configs, allLayers, blobs);
  }

  private static Descriptor add(Map<Digest, Blob> blobs, byte[] json, String mediaType) {
    Blob b = Blob.of(json);
    blobs.put(b.digest(), b);
    return Descriptor.of(mediaType, b.digest(), b.size());
  }

  /** Distinct, well-spread seeds per (platform, layer). */
  private static long mix(long seed, int platform, int layer) {
    long z =
        seed * 0x9E3779B97F4A7C15L + platform * 0xC2B2AE3D27D4EB4FL + layer * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    return z ^ (z >>> 33);
  }
}
