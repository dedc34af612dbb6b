package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same layers unpacked by the native path (each applied onto the whole tree) and by the overlay
 * snapshotter (each applied as a diff, the chain merged by {@link OverlaySnapshotter#export}) give
 * identical trees: content, modes, owners, mtimes, symlink targets, xattrs and hardlink groups; and
 * no overlay marker reaches the exported tree.
 */
class OverlayEquivalenceTest {

  @TempDir Path dir;

  private final InMemoryContentStore store = new InMemoryContentStore();

  private static byte[] lower() {
    return new TestLayer()
        .dir("etc")
        .file("etc/passwd", "root")
        .file("etc/shadow", "secret", 0600)
        .dir("opt/app/lib")
        .file("opt/app/lib/a.so", "a")
        .file("opt/app/config", "old")
        .dir("opt/private", 0700)
        .file("opt/private/key", "k")
        .dir("var/cache/deep/er")
        .file("var/cache/deep/er/x", "x")
        .file("var/cache/top", "t")
        .symlink("etc/alias", "passwd")
        .hardlink("etc/passwd-same", "etc/passwd")
        .withPax("etc/tagged", "t", Map.of("SCHILY.xattr.user.tag", "v1"))
        .tar();
  }

  static Stream<Arguments> stacks() {
    return Stream.of(
        stack("whiteout of a lower file", new TestLayer().whiteout("etc/.wh.shadow")),
        stack("whiteout of a lower directory", new TestLayer().whiteout("var/.wh.cache")),
        stack(
            "markers of every kind",
            new TestLayer()
                .whiteout("etc/.wh.shadow")
                .whiteout("opt/.wh..wh..opq")
                .whiteout("etc/.wh..wh.plnk")
                .whiteout("new/.wh.nothing")),
        stack(
            "opaque directory keeps this layer's entries",
            new TestLayer()
                .dir("opt/app")
                .whiteout("opt/app/.wh..wh..opq")
                .file("opt/app/config", "new")
                .file("opt/app/added", "added")),
        stack(
            "opaque marker after this layer's entries",
            new TestLayer()
                .dir("opt/app")
                .file("opt/app/config", "new")
                .dir("opt/app/lib")
                .file("opt/app/lib/b.so", "b")
                .whiteout("opt/app/.wh..wh..opq")),
        stack(
            "whiteout of this layer's own entry",
            new TestLayer().file("etc/shadow", "new").whiteout("etc/.wh.shadow")),
        stack(
            "whiteout then recreate in one layer",
            new TestLayer().whiteout("opt/.wh.app").dir("opt/app").file("opt/app/fresh", "f")),
        stack(
            "whiteout then an unlisted directory under it",
            new TestLayer().whiteout("opt/.wh.app").file("opt/app/lib/c.so", "c")),
        stack(
            "hardlink to a lower file",
            new TestLayer().hardlink("etc/passwd-", "etc/passwd", 0600, 1_700_000_000_000L)),
        stack(
            "hardlink to a lower symlink, in an unlisted directory",
            new TestLayer().hardlink("etc/alias2", "etc/alias")),
        stack(
            "files into unlisted lower directories keep their modes",
            new TestLayer().file("opt/private/new", "n").file("var/cache/deep/er/y", "y")),
        stack(
            "whiteout inside an unlisted lower directory",
            new TestLayer().whiteout("var/cache/deep/er/.wh.x")),
        stack(
            "a file replaces a lower directory and a directory a lower file",
            new TestLayer().file("opt/app/lib", "now a file").dir("var/cache/top")),
        stack(
            "three layers",
            new TestLayer().whiteout("opt/.wh.app").whiteout("etc/.wh.passwd"),
            new TestLayer().file("opt/app/config", "third").file("etc/passwd", "again")),
        stack(
            "opaque, then a later layer adds below it",
            new TestLayer().dir("var/cache").whiteout("var/cache/.wh..wh..opq"),
            new TestLayer().file("var/cache/deep/z", "z")));
  }

  private static Arguments stack(String name, TestLayer... layers) {
    List<byte[]> tars =
        Stream.concat(Stream.of(lower()), Stream.of(layers).map(TestLayer::tar)).toList();
    return Arguments.of(name, tars);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stacks")
  void overlayExportEqualsTheNativeTree(String name, List<byte[]> tars) throws Exception {
    String reason = OverlayFormatSupport.unavailableReason(dir);
    assumeTrue(reason == null, reason);
    Instant start = Instant.now().minusSeconds(1);
    Path nativeTree = Files.createDirectory(dir.resolve("native"));
    for (byte[] tar : tars) {
      TarApplier.create(ApplyOptions.defaults()).apply(new ByteArrayInputStream(tar), nativeTree);
    }
    OverlaySnapshotter overlay = OverlaySnapshotter.open(dir.resolve("overlay"));
    String top = applyAll(overlay, tars);
    Path exported = dir.resolve("exported");

    overlay.export(top, exported);

    assertThat(TreeDescription.of(exported, start))
        .isEqualTo(TreeDescription.of(nativeTree, start));
  }

  /** Applies {@code tars} as a chain of overlay snapshots; returns the top chain's name. */
  private String applyAll(OverlaySnapshotter s, List<byte[]> tars) throws IOException {
    TarLayerApplier applier = TarLayerApplier.create();
    String parent = null;
    for (int i = 0; i < tars.size(); i++) {
      Descriptor d = TestImages.descriptor(MediaTypes.OCI_LAYER, tars.get(i));
      if (!store.exists(d.digest())) {
        TestImages.commit(store, d, tars.get(i));
      }
      String key = "extract-" + i;
      List<Mount> mounts = s.prepare(key, parent, Map.of());
      Digest diffId = applier.apply(d, store, mounts);
      assertThat(diffId).isEqualTo(Digest.sha256(tars.get(i)));
      String name = "chain-" + i;
      s.commit(name, key, Map.of());
      parent = name;
    }
    return parent;
  }
}
