package dev.hoist.unpack;

import static dev.hoist.testing.Mounts.overlayUnavailable;
import static dev.hoist.testing.Mounts.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotLabels;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testing.TestImages;
import dev.hoist.unpack.internal.tar.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OverlaySnapshotter}'s files and mounts, and a real overlay mount of what it reports. */
class OverlaySnapshotterFilesTest {

  @TempDir Path root;

  private final InMemoryContentStore store = new InMemoryContentStore();

  private static final String BASE = "sha256:" + "a".repeat(64);
  private static final String MID = "sha256:" + "b".repeat(64);

  private static String option(Mount m, String name) {
    return m.options().stream()
        .filter(o -> o.startsWith(name + "="))
        .map(o -> o.substring(name.length() + 1))
        .findFirst()
        .orElse(null);
  }

  /** Two committed layers: base has etc/passwd, mid adds etc/group. */
  private OverlaySnapshotter twoLayers() throws IOException {
    OverlaySnapshotter s = OverlaySnapshotter.open(root.resolve("snaps"));
    Path fs = Path.of(s.prepare("k0", null, Map.of()).get(0).source());
    Files.createDirectories(fs.resolve("etc"));
    Files.writeString(fs.resolve("etc/passwd"), "root:x:0:0\n");
    s.commit(BASE, "k0", Map.of());
    Mount m = s.prepare("k1", BASE, Map.of()).get(0);
    Path upper = Path.of(option(m, "upperdir"));
    Files.createDirectories(upper.resolve("etc"));
    Files.writeString(upper.resolve("etc/group"), "root:x:0:\n");
    s.commit(MID, "k1", Map.of());
    return s;
  }

  @Test
  void firstSnapshotIsABindMountAndAChildIsAnEmptyDiffOverItsParentsNearestFirst()
      throws IOException {
    OverlaySnapshotter s = twoLayers();

    List<Mount> first = s.prepare("first", null, Map.of());
    List<Mount> child = s.prepare("child", MID, Map.of());

    assertThat(first).hasSize(1);
    assertThat(first.get(0).isBind()).isTrue();
    assertThat(first.get(0).readOnly()).isFalse();
    assertThat(child).hasSize(1);
    Mount m = child.get(0);
    assertThat(m.type()).isEqualTo("overlay");
    assertThat(m.options()).contains("index=off", "userxattr");
    Path upper = Path.of(option(m, "upperdir"));
    assertThat(upper).isEmptyDirectory();
    assertThat(Path.of(option(m, "workdir"))).isEmptyDirectory();
    String[] lowers = option(m, "lowerdir").split(":");
    assertThat(lowers).hasSize(2);
    assertThat(Path.of(lowers[0]).resolve("etc/group")).hasContent("root:x:0:\n");
    assertThat(Path.of(lowers[1]).resolve("etc/passwd")).hasContent("root:x:0:0\n");
    assertThat(s.usage("child").size()).isZero();
    assertThat(s.usage(MID).size()).isEqualTo("root:x:0:\n".length());
  }

  @Test
  void viewsAreReadOnlyBindOfASingleLayerOrLowerdirOnlyOverlay() throws IOException {
    OverlaySnapshotter s = twoLayers();

    Mount one = s.view("v1", BASE, Map.of()).get(0);
    Mount two = s.view("v2", MID, Map.of()).get(0);

    assertThat(one.isBind()).isTrue();
    assertThat(one.readOnly()).isTrue();
    assertThat(Path.of(one.source()).resolve("etc/passwd")).exists();
    assertThat(two.type()).isEqualTo("overlay");
    assertThat(two.readOnly()).isTrue();
    assertThat(option(two, "upperdir")).isNull();
    assertThat(option(two, "lowerdir").split(":")).hasSize(2);
  }

  @Test
  void exportOfACommittedChainMergesItsDiffsAndRefusesActiveOnes() throws IOException {
    OverlaySnapshotter s = twoLayers();
    s.prepare("active", MID, Map.of());

    s.export(MID, root.resolve("out"));

    assertThat(root.resolve("out/etc/passwd")).hasContent("root:x:0:0\n");
    assertThat(root.resolve("out/etc/group")).hasContent("root:x:0:\n");
    assertThatThrownBy(() -> s.export("active", root.resolve("out2")))
        .isInstanceOf(FailedPreconditionException.class);
  }

  @Test
  void aKilledUnpacksTransientSnapshotIsRemovedOnTheNextOpen() throws IOException {
    OverlaySnapshotter first = OverlaySnapshotter.open(root);
    first.prepare("extract-1 sha256:x", null, Map.of(SnapshotLabels.TRANSIENT, "sha256:x"));
    first.releaseHolds(); // what the OS does to a killed process's locks

    OverlaySnapshotter afterCrash = OverlaySnapshotter.open(root);

    List<String> left = new ArrayList<>();
    afterCrash.walk(i -> left.add(i.name()));
    assertThat(left).isEmpty();
  }

  @Test
  void aDirectoryWhosePathWouldSplitMountOptionsIsRefused() {
    assertThatThrownBy(() -> OverlaySnapshotter.open(root.resolve("a:b")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("a:b");
  }

  /**
   * The kernel mounts what {@link OverlaySnapshotter#mounts} reports for a view of an applied chain
   * (whiteouts, opaque directories, a hardlink to a lower file) and shows the native tree. Needs
   * root (CI runs as root).
   */
  @Test
  void theKernelMountsAViewOfAnAppliedChainAsTheNativeTree() throws Exception {
    assumeTrue(ProcessIdentity.current().isRoot(), "mount -t overlay needs root");
    String reason = overlayUnavailable(root.resolve("probe"));
    assumeTrue(reason == null, reason);
    String format = OverlayFormatSupport.unavailableReason(root);
    assumeTrue(format == null, format);
    Instant start = Instant.now().minusSeconds(1);
    List<byte[]> tars = List.of(RootfsTest.base(), RootfsTest.mid(), RootfsTest.top());
    Path nativeTree = Files.createDirectory(root.resolve("native"));
    for (byte[] tar : tars) {
      TarApplierTest.apply(tar, nativeTree);
    }
    OverlaySnapshotter s = OverlaySnapshotter.open(root.resolve("overlay"));
    TarLayerApplier applier = TarLayerApplier.create();
    String parent = null;
    for (int i = 0; i < tars.size(); i++) {
      Descriptor d =
          TestImages.commit(
              store, TestImages.descriptor(MediaTypes.OCI_LAYER, tars.get(i)), tars.get(i));
      List<Mount> mounts = s.prepare("k" + i, parent, Map.of());
      applier.apply(d, store, mounts);
      s.commit("c" + i, "k" + i, Map.of());
      parent = "c" + i;
    }
    Mount view = s.view("view", parent, Map.of()).get(0);
    assertThat(s.stat("view").kind()).isEqualTo(Kind.VIEW);
    Path mnt = Files.createDirectory(root.resolve("mnt"));

    run(
        "mount",
        "-t",
        view.type(),
        "-o",
        String.join(",", view.options()),
        view.source(),
        mnt.toString());
    try {
      assertThat(TreeDescription.of(mnt, start)).isEqualTo(TreeDescription.of(nativeTree, start));
    } finally {
      run("umount", mnt.toString());
    }
  }
}
