package dev.hoist.reliability;

import static dev.hoist.testing.Mounts.overlayUnavailable;
import static dev.hoist.testing.Mounts.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.snapshots.Mount;
import dev.hoist.unpack.LocalSnapshotter;
import dev.hoist.unpack.OverlaySnapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-kernel proof of the overlay snapshotter: an image (whiteouts, an opaque directory,
 * hardlinks to lower files, thousands of files) pulled by {@code hoist pull} with the default
 * snapshotter (overlayfs) is mounted by the kernel with exactly the options {@link
 * OverlaySnapshotter#mounts} reports for a view of its top chain, and the mounted tree equals the
 * native snapshotter's tree of the same image file by file, as does {@code hoist rootfs} from the
 * overlay chain. Needs root for {@code mount} (CI runs as root).
 */
@Timeout(300)
class OverlayMountIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  @Test
  void kernelOverlayMountOfAPulledImageEqualsTheNativeTree() throws Exception {
    LayerImages.Layer many = new LayerImages.LayerBuilder().manyFiles("data", 2_000).build();
    List<LayerImages.Layer> layers =
        List.of(LayerImages.base(), LayerImages.middle(), many, LayerImages.top("mount"));
    LayerImages.push(registry, "overlay/app", "1", layers);
    String ref = registry.hostPort() + "/overlay/app:1";
    Path store = dir.resolve("store");
    hoist("pull", "--store", store.toString(), "--platform", "linux/amd64", ref);
    hoist(
        "pull",
        "--store",
        store.toString(),
        "--snapshotter",
        "native",
        "--platform",
        "linux/amd64",
        ref);
    Path rootfs = dir.resolve("rootfs");
    hoist(
        "rootfs",
        "--store",
        store.toString(),
        "--platform",
        "linux/amd64",
        "--progress",
        "none",
        ref,
        rootfs.toString());
    List<Digest> chain = ChainIds.of(layers.stream().map(LayerImages.Layer::diffId).toList());
    String top = chain.get(chain.size() - 1).toString();
    Path nativeTree = dir.resolve("native");
    LocalSnapshotter.open(store.resolve("snapshots/native")).export(top, nativeTree);
    assertThat(Trees.describe(rootfs)).isEqualTo(Trees.describe(nativeTree));
    assertThat(Trees.hardlinkGroups(rootfs)).isEqualTo(Trees.hardlinkGroups(nativeTree));

    assumeTrue("root".equals(System.getProperty("user.name")), "mount -t overlay needs root");
    String reason = overlayUnavailable(dir.resolve("probe"));
    assumeTrue(reason == null, reason);
    OverlaySnapshotter overlay = OverlaySnapshotter.open(store.resolve("snapshots/overlayfs"));
    Mount view = overlay.view("mount-view", top, Map.of()).get(0);
    assertThat(view.type()).isEqualTo("overlay");
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    run(
        "mount",
        "-t",
        "overlay",
        "-o",
        String.join(",", view.options()),
        view.source(),
        mnt.toString());
    try {
      assertThat(Trees.differences(Trees.describe(mnt), Trees.describe(nativeTree))).isEmpty();
      assertThat(Trees.hardlinkGroups(mnt))
          .isEqualTo(Trees.hardlinkGroups(nativeTree))
          .isNotEmpty();
      assertThat(mnt.resolve("usr/share/doc/gone")).doesNotExist();
      assertThat(mnt.resolve("usr/share/hidden/old")).doesNotExist();
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void aNewStoreOnAFilesystemWithoutUserXattrsPullsIntoNativeSnapshots() throws Exception {
    List<LayerImages.Layer> layers =
        List.of(LayerImages.base(), LayerImages.middle(), LayerImages.top("ramfs"));
    LayerImages.push(registry, "overlay/ramfs", "1", layers);
    String ref = registry.hostPort() + "/overlay/ramfs:1";
    // ramfs keeps no user xattrs, so it cannot hold an opaque directory of an overlay diff.
    Path mnt = Files.createDirectories(dir.resolve("ramfs"));
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting a ramfs needs root");
    run("mount", "-t", "ramfs", "ramfs", mnt.toString());
    try {
      Path told = mnt.resolve("told");
      Path log = dir.resolve("told.log");
      int exit =
          Processes.exitCode(
              Processes.hoist(
                  log,
                  "pull",
                  "--store",
                  told.toString(),
                  "--snapshotter",
                  "overlayfs",
                  "--platform",
                  "linux/amd64",
                  ref),
              Duration.ofSeconds(180),
              log);
      assertThat(exit).as(Processes.output(log)).isNotZero();
      assertThat(Processes.output(log)).contains("use the native snapshotter");

      Path store = mnt.resolve("store");
      hoist("pull", "--store", store.toString(), "--platform", "linux/amd64", ref);

      assertThat(store.resolve("snapshots/overlayfs")).doesNotExist();
      List<Digest> chain = ChainIds.of(layers.stream().map(LayerImages.Layer::diffId).toList());
      assertThat(
              store
                  .resolve("snapshots/native/committed")
                  .resolve(chain.get(2).toString().replace(':', '-')))
          .isDirectory();
    } finally {
      run("umount", mnt.toString());
    }
  }

  private void hoist(String... args) throws Exception {
    Path log = Files.createTempFile(dir, "hoist", ".log");
    int exit = Processes.exitCode(Processes.hoist(log, args), Duration.ofSeconds(180), log);
    assertThat(exit).as(Processes.output(log)).isZero();
  }
}
