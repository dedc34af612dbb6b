package dev.hoist.client;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.diff.Applier;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.snapshots.InMemorySnapshotter;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * Set-up of the pull tests: images whose "layers" are plain bytes, an applier that only hashes them
 * (so a layer's DiffID is its digest) and counts applies, in-memory stores and snapshotter.
 */
abstract class PullFixture {

  final TestRemote remote = new TestRemote();
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final InMemorySnapshotter snapshotter = newSnapshotter();
  final Map<Digest, Integer> applies = new ConcurrentHashMap<>();
  final Applier hashingApplier =
      (layer, provider, mounts) -> {
        if (mounts.isEmpty()) {
          throw new IllegalStateException("no mounts");
        }
        applies.merge(layer.digest(), 1, Integer::sum);
        Digester d = Digester.sha256();
        try (InputStream in = provider.openStream(layer)) {
          byte[] buf = new byte[8192];
          for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
          }
        }
        return d.digest();
      };
  final ExecutorService pool = Executors.newFixedThreadPool(4);
  Client client =
      Client.builder()
          .contentStore(store)
          .imageStore(images)
          .snapshotter(snapshotter)
          .applier(hashingApplier)
          .build();

  /** The snapshotter of this fixture: one that prepares on committed parents only. */
  InMemorySnapshotter newSnapshotter() {
    return new InMemorySnapshotter();
  }

  @AfterEach
  void closeAll() {
    client.close();
    pool.shutdownNow();
  }

  /**
   * Replaces {@link #client} with one over the same stores and {@code snapshots}, {@code applier}.
   */
  void use(dev.hoist.snapshots.Snapshotter snapshots, Applier applier) {
    client.close();
    client =
        Client.builder()
            .contentStore(store)
            .imageStore(images)
            .snapshotter(snapshots)
            .applier(applier)
            .build();
  }

  RemoteContext.Builder ctx() {
    return RemoteContext.builder().resolver(remote).executor(pool).platforms("linux/amd64");
  }

  static byte[] layerBytes(String seed) {
    byte[] b = new byte[4096 + seed.length()];
    byte[] s = seed.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (s[i % s.length] + i / 7);
    }
    return b;
  }

  /** A manifest image (no index) tagged {@code ref}: its layers, config as given. */
  final class ImageSpec {
    final List<Descriptor> layers = new ArrayList<>();
    final List<String> diffIds = new ArrayList<>();
    String rootfsType = "layers";
    List<Map<String, Object>> history = null;
    Descriptor config;
    Descriptor manifest;

    ImageSpec layers(String... seeds) {
      for (String seed : seeds) {
        byte[] data = layerBytes(seed);
        remote.blob(data);
        Descriptor d = TestImages.descriptor(MediaTypes.OCI_LAYER_GZIP, data);
        layers.add(d);
        diffIds.add(d.digest().toString());
      }
      return this;
    }

    ImageSpec tag(String ref) {
      Map<String, Object> rootfs = new LinkedHashMap<>();
      rootfs.put("type", rootfsType);
      rootfs.put("diff_ids", diffIds);
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("architecture", "amd64");
      cfg.put("os", "linux");
      cfg.put("rootfs", rootfs);
      if (history != null) {
        cfg.put("history", history);
      }
      byte[] configJson = dev.hoist.spec.internal.Json.write(cfg);
      remote.blob(configJson);
      config = TestImages.descriptor(MediaTypes.OCI_CONFIG, configJson);
      byte[] manifestJson =
          OciJson.write(
              new Manifest(2, MediaTypes.OCI_MANIFEST, null, config, layers, null, Map.of()));
      remote.blob(manifestJson);
      manifest = TestImages.descriptor(MediaTypes.OCI_MANIFEST, manifestJson);
      remote.tag(ref, manifest);
      return this;
    }
  }

  List<SnapshotInfo> snapshots() throws IOException {
    List<SnapshotInfo> all = new ArrayList<>();
    snapshotter.walk(all::add);
    return all;
  }

  List<String> committed() throws IOException {
    List<String> names = new ArrayList<>();
    for (SnapshotInfo s : snapshots()) {
      if (s.kind() == Kind.COMMITTED) {
        names.add(s.name());
      }
    }
    return names;
  }
}
