package dev.hoist.testing;

import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multi-platform image graph built in code, with real digests: an index → one manifest per
 * platform → a config and layers each. OCI or Docker schema 2 media types. Immutable.
 *
 * <pre>{@code
 * TestImages image = TestImages.builder().platforms("linux/amd64", "linux/arm64/v8").build();
 * TestRemote remote = new TestRemote().add("docker.io/library/app:1", image);
 * }</pre>
 *
 * Shared through core's test-jar, so other modules' tests can push the same graph to a registry or
 * a store.
 */
public final class TestImages {

  private final Descriptor root;
  private final Map<Digest, byte[]> blobs;
  private final Map<String, Descriptor> manifests;
  private final Map<String, Descriptor> configs;
  private final Map<String, List<Descriptor>> layers;

  private TestImages(Builder b) {
    Map<Digest, byte[]> all = new LinkedHashMap<>();
    Map<String, Descriptor> ms = new LinkedHashMap<>();
    Map<String, Descriptor> cs = new LinkedHashMap<>();
    Map<String, List<Descriptor>> ls = new LinkedHashMap<>();
    String manifestType = b.docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    String configType = b.docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
    String layerType = b.docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
    String indexType = b.docker ? MediaTypes.DOCKER_MANIFEST_LIST : MediaTypes.OCI_INDEX;
    Descriptor shared =
        b.sharedLayer ? put(all, layerType, bytes(b.layerSize, "shared layer " + b.seed)) : null;
    for (String p : b.platforms) {
      Platform platform = parse(p);
      List<Descriptor> layerDescs = new ArrayList<>();
      List<String> diffIds = new ArrayList<>();
      if (shared != null) {
        layerDescs.add(shared);
        diffIds.add(shared.digest().toString());
      }
      for (int i = 0; i < b.layersPerManifest; i++) {
        Descriptor layer =
            put(all, layerType, bytes(b.layerSize, "layer " + p + " " + i + " " + b.seed));
        layerDescs.add(layer);
        diffIds.add(layer.digest().toString());
      }
      ImageConfig config =
          new ImageConfig(
              platform.architecture(),
              platform.os(),
              platform.variant(),
              null,
              null,
              "2024-01-01T00:00:00Z",
              new ImageConfig.RootFs("layers", diffIds));
      Descriptor configDesc = put(all, configType, OciJson.write(config));
      Manifest manifest =
          new Manifest(2, manifestType, null, configDesc, layerDescs, null, Map.of());
      Descriptor manifestDesc = put(all, manifestType, OciJson.write(manifest));
      ms.put(p, b.indexPlatforms ? manifestDesc.withPlatform(platform) : manifestDesc);
      cs.put(p, configDesc);
      ls.put(p, List.copyOf(layerDescs));
    }
    if (b.noIndex) {
      this.root = ms.values().iterator().next().withPlatform(null);
    } else {
      Index index = new Index(2, indexType, null, new ArrayList<>(ms.values()), null, Map.of());
      this.root = put(all, indexType, OciJson.write(index));
    }
    this.blobs = Collections.unmodifiableMap(all);
    this.manifests = Collections.unmodifiableMap(ms);
    this.configs = Collections.unmodifiableMap(cs);
    this.layers = Collections.unmodifiableMap(ls);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The index (or, with {@link Builder#noIndex()}, the only manifest). */
  public Descriptor root() {
    return root;
  }

  /** Every blob of the graph by digest, root included. */
  public Map<Digest, byte[]> blobs() {
    return blobs;
  }

  public byte[] blob(Digest digest) {
    byte[] b = blobs.get(digest);
    if (b == null) {
      throw new IllegalArgumentException("no blob " + digest);
    }
    return b.clone();
  }

  /** The manifest descriptors as the index lists them (with platforms), in builder order. */
  public List<Descriptor> manifests() {
    return List.copyOf(manifests.values());
  }

  /** The platform strings, in builder order. */
  public List<String> platforms() {
    return List.copyOf(manifests.keySet());
  }

  public Descriptor manifest(String platform) {
    return get(manifests, platform);
  }

  public Descriptor config(String platform) {
    return get(configs, platform);
  }

  public List<Descriptor> layers(String platform) {
    return get(layers, platform);
  }

  /** The manifest, config and layer digests of {@code platform}. */
  public Set<Digest> digestsOf(String platform) {
    Set<Digest> d = new LinkedHashSet<>();
    d.add(manifest(platform).digest());
    d.add(config(platform).digest());
    layers(platform).forEach(l -> d.add(l.digest()));
    return d;
  }

  /** The manifest and config digests of {@code platform}: its metadata. */
  public Set<Digest> metadataOf(String platform) {
    return new LinkedHashSet<>(List.of(manifest(platform).digest(), config(platform).digest()));
  }

  /** Commits every blob of this graph to {@code store}. */
  public TestImages commitAll(ContentStore store) throws IOException {
    for (byte[] data : blobs.values()) {
      commit(store, descriptor(MediaTypes.OCI_LAYER, data), data);
    }
    return this;
  }

  /** Commits {@code data} as {@code desc} to {@code store} (desc may lie, to test bad input). */
  public static Descriptor commit(ContentStore store, Descriptor desc, byte[] data)
      throws IOException {
    try (ContentWriter w = store.writer("test-" + desc.digest(), desc)) {
      w.write(ByteBuffer.wrap(data));
      w.commit(data.length, Digest.sha256(data), Map.of());
    }
    return desc;
  }

  /** A descriptor for {@code data} with its real digest and size. */
  public static Descriptor descriptor(String mediaType, byte[] data) {
    return Descriptor.of(mediaType, Digest.sha256(data), data.length);
  }

  private static <T> T get(Map<String, T> map, String platform) {
    T t = map.get(platform);
    if (t == null) {
      throw new IllegalArgumentException("no platform " + platform + "; have " + map.keySet());
    }
    return t;
  }

  private static Descriptor put(Map<Digest, byte[]> all, String mediaType, byte[] data) {
    Descriptor d = descriptor(mediaType, data);
    all.put(d.digest(), data);
    return d;
  }

  private static byte[] bytes(int size, String seed) {
    byte[] s = seed.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[Math.max(size, s.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = s[i % s.length];
    }
    return out;
  }

  /** {@code os/arch[/variant]}, without normalisation: fixtures say exactly what they mean. */
  static Platform parse(String p) {
    String[] parts = p.split("/");
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("platform " + p + ": want os/arch[/variant]");
    }
    return Platform.of(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /**
   * Builds {@link TestImages}. Defaults: OCI, linux/amd64, linux/arm64/v8, linux/arm/v7, 2 layers.
   */
  public static final class Builder {
    private List<String> platforms = List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7");
    private int layersPerManifest = 2;
    private int layerSize = 64;
    private boolean docker;
    private boolean sharedLayer;
    private boolean noIndex;
    private boolean indexPlatforms = true;
    private String seed = "";

    private Builder() {}

    public Builder platforms(String... platforms) {
      this.platforms = List.of(platforms);
      return this;
    }

    public Builder layersPerManifest(int n) {
      this.layersPerManifest = n;
      return this;
    }

    public Builder layerSize(int bytes) {
      this.layerSize = bytes;
      return this;
    }

    /** Docker schema 2 media types instead of OCI. */
    public Builder docker() {
      this.docker = true;
      return this;
    }

    /** Adds one identical layer, first, to every manifest. */
    public Builder sharedLayer() {
      this.sharedLayer = true;
      return this;
    }

    /** No index: the root is the first platform's manifest. */
    public Builder noIndex() {
      this.noIndex = true;
      return this;
    }

    /** Index entries without a platform field (matching then reads the config). */
    public Builder withoutIndexPlatforms() {
      this.indexPlatforms = false;
      return this;
    }

    /** Makes the blobs differ from another graph built with the same options. */
    public Builder seed(String seed) {
      this.seed = seed;
      return this;
    }

    public TestImages build() {
      return new TestImages(this);
    }
  }
}
