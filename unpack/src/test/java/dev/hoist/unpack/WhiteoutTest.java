package dev.hoist.unpack;

import static dev.hoist.unpack.TarApplierTest.apply;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI whiteouts and opaque directories, applied over a lower layer. */
class WhiteoutTest {

  @TempDir Path root;

  @BeforeEach
  void lowerLayer() throws IOException {
    apply(
        new TestLayer()
            .dir("etc")
            .file("etc/passwd", "root")
            .file("etc/shadow", "secret")
            .dir("opt/app/lib")
            .file("opt/app/lib/a.so", "a")
            .file("opt/app/config", "old")
            .dir("var/cache/deep/er")
            .file("var/cache/deep/er/x", "x")
            .file("var/cache/top", "t")
            .tar(),
        root);
  }

  private Stream<String> tree() throws IOException {
    return Files.walk(root).map(p -> root.relativize(p).toString());
  }

  @Test
  void whiteoutRemovesALowerFile() throws IOException {
    apply(new TestLayer().whiteout("etc/.wh.shadow").tar(), root);

    assertThat(root.resolve("etc/shadow")).doesNotExist();
    assertThat(root.resolve("etc/passwd")).hasContent("root");
  }

  @Test
  void whiteoutRemovesALowerDirectoryRecursively() throws IOException {
    apply(new TestLayer().whiteout("var/.wh.cache").tar(), root);

    assertThat(root.resolve("var/cache")).doesNotExist();
    assertThat(root.resolve("var")).isDirectory();
  }

  @Test
  void markersAreNeverWritten() throws IOException {
    apply(
        new TestLayer()
            .whiteout("etc/.wh.shadow")
            .whiteout("opt/.wh..wh..opq")
            .whiteout("etc/.wh..wh.plnk")
            .whiteout("new/.wh.nothing")
            .tar(),
        root);

    assertThat(tree()).noneMatch(n -> n.contains(".wh."));
  }

  @Test
  void whiteoutOfSomethingAbsentIsANoOp() throws IOException {
    ApplyResult r =
        apply(new TestLayer().whiteout("etc/.wh.absent").whiteout("nowhere/.wh.x").tar(), root);

    assertThat(r.entries()).isEqualTo(2);
    assertThat(root.resolve("nowhere")).doesNotExist();
  }

  @Test
  void opaqueDirectoryHidesLowerContentAndKeepsThisLayers() throws IOException {
    apply(
        new TestLayer()
            .dir("opt/app")
            .whiteout("opt/app/.wh..wh..opq")
            .file("opt/app/config", "new")
            .file("opt/app/added", "added")
            .tar(),
        root);

    assertThat(root.resolve("opt/app/lib")).doesNotExist();
    assertThat(root.resolve("opt/app/config")).hasContent("new");
    assertThat(root.resolve("opt/app/added")).hasContent("added");
  }

  @Test
  void opaqueMarkerAfterThisLayersEntriesKeepsThem() throws IOException {
    apply(
        new TestLayer()
            .dir("opt/app")
            .file("opt/app/config", "new")
            .dir("opt/app/lib")
            .file("opt/app/lib/b.so", "b")
            .whiteout("opt/app/.wh..wh..opq")
            .tar(),
        root);

    assertThat(root.resolve("opt/app/config")).hasContent("new");
    assertThat(root.resolve("opt/app/lib/b.so")).hasContent("b");
    // lib was re-declared by this layer, but its lower content is still hidden by the opaque parent
    assertThat(root.resolve("opt/app/lib/a.so")).doesNotExist();
  }

  @Test
  void opaqueRootHidesEveryLowerEntry() throws IOException {
    apply(new TestLayer().whiteout(".wh..wh..opq").file("only", "me").tar(), root);

    assertThat(tree()).containsExactlyInAnyOrder("", "only");
  }

  @Test
  void whiteoutDoesNotHideAnEntryOfItsOwnLayer() throws IOException {
    apply(new TestLayer().file("etc/shadow", "new").whiteout("etc/.wh.shadow").tar(), root);

    assertThat(root.resolve("etc/shadow")).hasContent("new");
  }

  @Test
  void whiteoutThroughASymlinkedParentRemovesTheLinkTargetsEntryInsideTheRoot() throws IOException {
    apply(new TestLayer().symlink("conf", "/etc").whiteout("conf/.wh.passwd").tar(), root);

    assertThat(root.resolve("etc/passwd")).doesNotExist();
    assertThat(root.resolve("etc/shadow")).hasContent("secret");
  }

  @Test
  void whiteoutThenRecreateInOneLayerReplacesTheLowerDirectory() throws IOException {
    apply(
        new TestLayer().whiteout("opt/.wh.app").dir("opt/app").file("opt/app/fresh", "f").tar(),
        root);

    assertThat(root.resolve("opt/app/fresh")).hasContent("f");
    assertThat(root.resolve("opt/app/lib")).doesNotExist();
    assertThat(root.resolve("opt/app/config")).doesNotExist();
  }

  @Test
  void hardlinkToALowerLayersFileSharesItsInode() throws IOException {
    apply(new TestLayer().hardlink("etc/passwd-", "etc/passwd").tar(), root);

    assertThat(Files.getAttribute(root.resolve("etc/passwd-"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("etc/passwd"), "unix:ino"));
  }

  @Test
  void threeLayersStackAsOverlayWould() throws IOException {
    apply(new TestLayer().whiteout("opt/.wh.app").tar(), root);
    apply(new TestLayer().file("opt/app/config", "third").tar(), root);

    assertThat(root.resolve("opt/app/config")).hasContent("third");
    assertThat(root.resolve("opt/app/lib")).doesNotExist();
  }
}
