package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.UnpackedImage;
import dev.hoist.content.ContentProvider;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.diff.Applier;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.images.Image;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Rootfs#materialize}: layers applied straight into a directory, no snapshot made. */
class RootfsTest {

  static final MatchComparer AMD64 = Platforms.only(Platforms.parse("linux/amd64"));

  /** The snapshotter under test; the overlay variant overrides it. */
  Snapshotter open(Path root) throws IOException {
    return LocalSnapshotter.open(root);
  }

  @TempDir Path dir;

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final AtomicInteger applies = new AtomicInteger();

  static byte[] base() {
    return new TestLayer()
        .dir("etc")
        .file("etc/keep", "kept\n")
        .file("etc/gone", "whited out\n")
        .dir("srv")
        .dir("srv/data")
        .file("srv/data/old", "opaque hides me\n")
        .file("srv/shared", "linked\n", 0640)
        .symlink("etc/link", "keep")
        .tar();
  }

  static byte[] mid() {
    return new TestLayer()
        .whiteout("etc/.wh.gone")
        .file("etc/keep", "replaced\n", 0600)
        .hardlink("srv/also", "srv/shared", 0750, TestLayer.T0.toEpochMilli() + 5_000)
        .tar();
  }

  static byte[] top() {
    return new TestLayer()
        .dir("srv/data")
        .whiteout("srv/data/.wh..wh..opq")
        .file("srv/data/new", "after the opaque marker\n")
        .tar();
  }

  /** Stores the layers (gzip), a config with their DiffIDs and a manifest; names the image. */
  private Image image(String name, List<byte[]> tars, List<Digest> diffIds) throws IOException {
    List<String> layers = new ArrayList<>();
    for (byte[] tar : tars) {
      byte[] blob = TestLayer.gzip(tar);
      Descriptor d = put(MediaTypes.OCI_LAYER_GZIP, blob);
      layers.add(
          "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d}"
              .formatted(d.mediaType(), d.digest(), d.size()));
    }
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[%s]}}"
            .formatted(String.join(",", diffIds.stream().map(x -> "\"" + x + "\"").toList()));
    byte[] configBytes = config.getBytes(UTF_8);
    Descriptor c = put(MediaTypes.OCI_CONFIG, configBytes);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d},\"layers\":[%s]}"
                .formatted(
                    MediaTypes.OCI_MANIFEST,
                    c.mediaType(),
                    c.digest(),
                    c.size(),
                    String.join(",", layers)))
            .getBytes(UTF_8);
    Descriptor m = put(MediaTypes.OCI_MANIFEST, manifest);
    return new Image(name, m, Map.of(), null, null);
  }

  /** Commits {@code data} unless the store has it (images here share layers). */
  private Descriptor put(String mediaType, byte[] data) throws IOException {
    Descriptor d = TestImages.descriptor(mediaType, data);
    return store.exists(d.digest()) ? d : TestImages.commit(store, d, data);
  }

  Image image(String name, List<byte[]> tars) throws IOException {
    return image(name, tars, tars.stream().map(Digest::sha256).toList());
  }

  private Applier countingApplier() {
    TarLayerApplier tar = TarLayerApplier.create();
    return (Descriptor layer, ContentProvider provider, List<Mount> mounts) -> {
      applies.incrementAndGet();
      return tar.apply(layer, provider, mounts);
    };
  }

  Client client(Snapshotter snapshots) {
    return Client.builder()
        .contentStore(store)
        .snapshotter(snapshots)
        .applier(TarLayerApplier.create())
        .build();
  }

  @Test
  void materializeGivesTheTreeOfTheUnpackedTopSnapshotAndMakesNoSnapshot() throws IOException {
    Image app = image("app", List.of(base(), mid(), top()));
    Snapshotter unpacked = open(dir.resolve("unpacked"));
    UnpackedImage pulled = client(unpacked).unpack(app, AMD64, null);
    Rootfs.write(unpacked, pulled, dir.resolve("copied"));
    Snapshotter fresh = open(dir.resolve("fresh"));

    RootfsResult result =
        Rootfs.materialize(
            client(fresh), fresh, countingApplier(), app, AMD64, dir.resolve("direct"), null);

    assertThat(result.applied()).isEqualTo(3);
    assertThat(result.copied()).isZero();
    assertThat(applies).hasValue(3);
    assertThat(describe(dir.resolve("direct")))
        .isEqualTo(describe(dir.resolve("copied")))
        .containsKeys("etc/keep", "srv/also", "srv/data/new")
        .doesNotContainKeys("etc/gone", "srv/data/old", "etc/.wh.gone");
    assertThat(Files.readString(dir.resolve("direct/etc/keep"))).isEqualTo("replaced\n");
    assertThat(Files.isSameFile(dir.resolve("direct/srv/also"), dir.resolve("direct/srv/shared")))
        .isTrue();
    List<String> snapshots = new ArrayList<>();
    fresh.walk(info -> snapshots.add(info.name()));
    assertThat(snapshots).isEmpty();
  }

  @Test
  void aRootfsGetsItsOwnFifoNotAHardLinkToTheSnapshots() throws IOException {
    byte[] withFifo = new TestLayer().dir("run").fifo("run/pipe").tar();
    Image app = image("fifo", List.of(base(), withFifo));
    Snapshotter snapshots = open(dir.resolve("snapshots"));
    UnpackedImage unpacked = client(snapshots).unpack(app, AMD64, null);
    Path exported = dir.resolve("exported");
    Rootfs.write(snapshots, unpacked, exported);

    Path pipe = exported.resolve("run/pipe");
    var attrs =
        Files.readAttributes(pipe, "unix:mode,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    assertThat((Integer) attrs.get("mode") & 0170000).as("a fifo").isEqualTo(0010000);
    assertThat((Integer) attrs.get("mode") & 07777).isEqualTo(0600);
    assertThat((Integer) attrs.get("nlink"))
        .as("a hard link would share the snapshot's inode (and fail across filesystems)")
        .isEqualTo(1);
    assertThat(((java.nio.file.attribute.FileTime) attrs.get("lastModifiedTime")).toInstant())
        .isEqualTo(TestLayer.T0);
  }

  @Test
  void aRootfsGetsItsOwnDeviceNodeWithTheSameNumbers() throws IOException {
    // Device nodes are only made as root; without root the applier skips them (SkipCounts).
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.hoist.unpack.internal.tar.ProcessIdentity.current().isRoot(), "needs root");
    byte[] withDevice = new TestLayer().dir("dev").charDevice("dev/tty9", 4, 300).tar();
    Image app = image("device", List.of(base(), withDevice));
    Snapshotter snapshots = open(dir.resolve("snapshots"));
    UnpackedImage unpacked = client(snapshots).unpack(app, AMD64, null);
    Path exported = dir.resolve("exported");
    Rootfs.write(snapshots, unpacked, exported);

    var attrs =
        Files.readAttributes(
            exported.resolve("dev/tty9"), "unix:mode,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
    assertThat((Integer) attrs.get("mode") & 0170000).as("a character device").isEqualTo(0020000);
    assertThat((Integer) attrs.get("mode") & 07777).isEqualTo(0666);
    assertThat((Integer) attrs.get("nlink")).isEqualTo(1);
    long rdev = (Long) attrs.get("rdev");
    // Linux's dev_t: major in bits 8-19 (and 32-43), minor in bits 0-7 and 20-31.
    assertThat(((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)).isEqualTo(4);
    assertThat((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)).isEqualTo(300);
  }

  @Test
  void materializeCopiesTheHighestCommittedChainAndAppliesOnlyTheLayersAbove() throws IOException {
    Snapshotter snapshots = open(dir.resolve("snapshots"));
    Client client = client(snapshots);
    client.unpack(image("base", List.of(base(), mid())), AMD64, null);
    Image app = image("app", List.of(base(), mid(), top()));
    UnpackedImage reference = client.unpack(app, AMD64, null);
    Rootfs.write(snapshots, reference, dir.resolve("copied"));
    snapshots.remove(reference.chainId().toString());

    RootfsResult result =
        Rootfs.materialize(
            client, snapshots, countingApplier(), app, AMD64, dir.resolve("direct"), null);

    assertThat(result.copied()).isEqualTo(2);
    assertThat(result.applied()).isEqualTo(1);
    assertThat(applies).hasValue(1);
    assertThat(describe(dir.resolve("direct"))).isEqualTo(describe(dir.resolve("copied")));
  }

  @Test
  void wrongDiffIdNamesTheLayerAndLeavesTheTargetEmpty() throws IOException {
    Digest claimed = Digest.sha256("not this layer".getBytes(UTF_8));
    Image bad = image("bad", List.of(base(), mid()), List.of(Digest.sha256(base()), claimed));
    Snapshotter snapshots = open(dir.resolve("snapshots"));
    Path created = dir.resolve("created");
    Path existing = Files.createDirectory(dir.resolve("existing"));

    for (Path target : List.of(created, existing)) {
      assertThatThrownBy(
              () ->
                  Rootfs.materialize(
                      client(snapshots),
                      snapshots,
                      TarLayerApplier.create(),
                      bad,
                      AMD64,
                      target,
                      null))
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining("layer 1")
          .hasMessageContaining(claimed.toString());
    }
    assertThat(created).doesNotExist();
    assertThat(existing).isEmptyDirectory();
  }

  /**
   * The tree as text (see {@link TreeDescription}); a directory mtime set by the test's own writes
   * (the layers' times are from 2021) shows as {@code now}.
   */
  private static Map<String, String> describe(Path root) throws IOException {
    return TreeDescription.of(root, Instant.parse("2024-01-01T00:00:00Z"));
  }
}
