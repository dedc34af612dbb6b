package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.ProgressListener;
import dev.hoist.client.RemoteContext;
import dev.hoist.client.UnpackedImage;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.gc.GarbageCollector;
import dev.hoist.gc.GcResult;
import dev.hoist.gc.SnapshotSweeper;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.snapshots.Kind;
import dev.hoist.spec.Descriptor;
import dev.hoist.unpack.LocalSnapshotter;
import dev.hoist.unpack.Rootfs;
import dev.hoist.unpack.TarLayerApplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pulls of real gzip tar layers from Docker's distribution registry into a local store. */
@Timeout(120)
class PullRegistryIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  private final Map<Digest, Integer> applied = new ConcurrentHashMap<>();
  private final ProgressListener countApplies =
      new ProgressListener() {
        @Override
        public void unpacked(Descriptor layer, Digest chainId, boolean reused) {
          if (!reused) {
            applied.merge(layer.digest(), 1, Integer::sum);
          }
        }
      };

  private Client client(LocalContentStore store, LocalSnapshotter snapshots) {
    return Client.builder()
        .contentStore(store)
        .snapshotter(snapshots)
        .applier(TarLayerApplier.create())
        .build();
  }

  private RemoteContext ctx() {
    return RemoteContext.builder().platforms("linux/amd64").progress(countApplies).build();
  }

  @Test
  void pulledRootfsHasEveryLayerAppliedWithWhiteoutsOpaqueDirsAndLinks() throws IOException {
    LayerImages.Layer base = LayerImages.base();
    LayerImages.Layer middle = LayerImages.middle();
    LayerImages.Layer top = LayerImages.top("one");
    LayerImages.push(registry, "pull/one", "1", List.of(base, middle, top));
    LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
    LocalSnapshotter snapshots = LocalSnapshotter.open(dir.resolve("store/snapshots/native"));
    Path rootfs = dir.resolve("rootfs");

    try (Client client = client(store, snapshots)) {
      UnpackedImage pulled = client.pull(registry.hostPort() + "/pull/one:1", ctx());
      Rootfs.write(snapshots, pulled, rootfs);

      assertThat(pulled.applied()).isEqualTo(3);
      assertThat(snapshots.stat(pulled.chainId().toString()).kind()).isEqualTo(Kind.COMMITTED);
    }
    assertThat(Files.readString(rootfs.resolve("etc/passwd")))
        .isEqualTo("root:x:0:0:root:/root:/bin/bash\n");
    assertThat(Files.readString(rootfs.resolve("app/one"))).isEqualTo("app one\n");
    assertThat(rootfs.resolve("usr/share/doc/gone")).doesNotExist();
    assertThat(rootfs.resolve("usr/share/doc/.wh.gone")).doesNotExist();
    assertThat(rootfs.resolve("usr/share/doc/readme")).exists();
    assertThat(rootfs.resolve("usr/share/hidden/old")).doesNotExist();
    assertThat(rootfs.resolve("usr/share/hidden/new")).exists();
    assertThat(rootfs.resolve("usr/share/hidden/.wh..wh..opq")).doesNotExist();
    assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh-link"))).isEqualTo(Path.of("tool"));
    assertThat(Files.isSameFile(rootfs.resolve("bin/tool"), rootfs.resolve("bin/tool-again")))
        .isTrue();
    assertThat(Files.isSameFile(rootfs.resolve("bin/tool"), rootfs.resolve("bin/tool-third")))
        .isTrue();
    assertThat(Files.isSameFile(rootfs.resolve("etc/passwd"), rootfs.resolve("etc/passwd-link")))
        .isTrue();
    assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .satisfies(m -> assertThat((Integer) m & 07777).isEqualTo(01777));
    assertThat(
            Files.getAttribute(
                rootfs.resolve("etc/shadow"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
        .satisfies(m -> assertThat((Integer) m & 07777).isEqualTo(0640));
  }

  @Test
  void secondImageSharingBaseLayersNeitherDownloadsNorAppliesThemAgain() throws IOException {
    LayerImages.Layer base = LayerImages.base();
    LayerImages.Layer middle = LayerImages.middle();
    LayerImages.push(registry, "share/one", "1", List.of(base, middle, LayerImages.top("one")));
    LayerImages.push(registry, "share/two", "1", List.of(base, middle, LayerImages.top("two")));
    LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
    LocalSnapshotter snapshots = LocalSnapshotter.open(dir.resolve("store/snapshots/native"));

    UnpackedImage second;
    try (Client client = client(store, snapshots)) {
      client.pull(registry.hostPort() + "/share/one:1", ctx());
      int logBefore = registry.log().length();
      second = client.pull(registry.hostPort() + "/share/two:1", ctx());
      String secondLog = registry.log().substring(logBefore);

      assertThat(blobGets(secondLog, base.digest())).isZero();
      assertThat(blobGets(secondLog, middle.digest())).isZero();
      assertThat(blobGets(secondLog, LayerImages.top("two").digest())).isEqualTo(1);
    }
    assertThat(second.applied()).isEqualTo(1);
    assertThat(second.reused()).isEqualTo(2);
    assertThat(applied.get(base.digest())).isEqualTo(1);
    assertThat(applied.get(middle.digest())).isEqualTo(1);
    assertThat(blobGets(registry.log(), base.digest())).isEqualTo(1);
  }

  @Test
  void gcAfterRemovingAnImageRemovesOnlyTheSnapshotsNoImageReaches() throws IOException {
    // Layers of their own: the registry and its log are shared by this class's tests.
    LayerImages.Layer base = LayerImages.top("gc-base");
    LayerImages.push(registry, "gc/one", "1", List.of(base, LayerImages.top("gc-one")));
    LayerImages.push(registry, "gc/two", "1", List.of(base, LayerImages.top("gc-two")));
    LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
    LocalSnapshotter snapshots = LocalSnapshotter.open(dir.resolve("store/snapshots/native"));
    UnpackedImage one;
    UnpackedImage two;
    try (Client client = client(store, snapshots)) {
      one = client.pull(registry.hostPort() + "/gc/one:1", ctx());
      two = client.pull(registry.hostPort() + "/gc/two:1", ctx());
    }
    store.deleteImage(two.image().name());

    GcResult result =
        GarbageCollector.builder(store, store)
            .sweeper(new SnapshotSweeper(snapshots))
            .build()
            .collect();

    List<String> left = new java.util.ArrayList<>();
    snapshots.walk(info -> left.add(info.name()));
    // one's chain (the shared base, then one's top) stays; two's top goes, and its blobs with it.
    assertThat(left)
        .hasSize(2)
        .contains(one.chainId().toString())
        .doesNotContain(two.chainId().toString());
    assertThat(result.other()).containsExactly("snapshot native/" + two.chainId());
    assertThat(result.blobs()).contains(LayerImages.top("gc-two").digest());
  }

  @Test
  void rootfsNeedsOnlyTheBlobsAboveTheHighestCommittedChainAndFetchesNothing() throws Exception {
    // Layers of their own: the registry and its log are shared by this class's tests.
    LayerImages.Layer base = LayerImages.top("rootfs-base");
    LayerImages.Layer middle = LayerImages.top("rootfs-middle");
    LayerImages.Layer top = LayerImages.top("rootfs-top");
    LayerImages.push(registry, "rootfs/app", "1", List.of(base, middle, top));
    String ref = registry.hostPort() + "/rootfs/app:1";
    Path storeDir = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    LocalSnapshotter snapshots = LocalSnapshotter.open(storeDir.resolve("snapshots/native"));
    UnpackedImage pulled;
    try (Client client = client(store, snapshots)) {
      pulled = client.pull(ref, ctx());
    }
    // As after a pull that reused the lower chains: their blobs absent, the chains committed.
    // The top chain goes too, so that rootfs copies the middle chain and applies the top layer.
    store.deleteBlob(base.digest());
    store.deleteBlob(middle.digest());
    snapshots.remove(pulled.chainId().toString());
    int logBefore = registry.log().length();
    Path target = dir.resolve("rootfs");
    Path log = dir.resolve("rootfs.log");

    int exit =
        Processes.exitCode(
            Processes.hoist(
                log,
                "rootfs",
                "--store",
                storeDir.toString(),
                "--platform",
                "linux/amd64",
                "--progress",
                "plain",
                ref,
                target.toString()),
            Duration.ofSeconds(60),
            log);

    assertThat(exit).as(Processes.output(log)).isZero();
    assertThat(Processes.output(log)).contains("(1 layers applied, 2 reused)");
    String rootfsLog = registry.log().substring(logBefore);
    assertThat(rootfsLog)
        .as("no request at all: the image counts as stored")
        .doesNotContain("GET ");
    for (String name : List.of("rootfs-base", "rootfs-middle", "rootfs-top")) {
      assertThat(target.resolve("app/" + name)).isRegularFile();
    }
    List<String> left = new java.util.ArrayList<>();
    snapshots.walk(info -> left.add(info.name()));
    assertThat(left).as("rootfs makes no snapshot").hasSize(2);
  }

  @Test
  void rootfsRefusesANonEmptyDirectoryBeforeAnyWork() throws IOException {
    Path target = dir.resolve("busy");
    Files.createDirectories(target);
    Files.writeString(target.resolve("keep"), "mine");

    assertThatThrownBy(() -> Rootfs.checkTarget(target))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(target.toString());
    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("mine");
  }

  /** GET requests for {@code digest}'s blob in the registry's access log. */
  static int blobGets(String log, Digest digest) {
    Matcher m =
        Pattern.compile("\"GET /v2/[^ ]*/blobs/" + Pattern.quote(digest.toString()) + " ")
            .matcher(log);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
