package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.remotes.docker.testing.DistributionRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hoist rootfs} against containerd's own unpack: the same image pulled by {@code ctr images
 * pull --snapshotter native} into a private containerd, its snapshot tree compared file by file
 * (type, mode, size, content, symlink target, mtime, owner, hardlink groups); both straight from
 * the blobs and from the overlay snapshots a {@code hoist pull} made with the default snapshotter.
 */
@Timeout(300)
class ContainerdComparisonIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  @Test
  void hoistRootfsEqualsContainerdsNativeSnapshotFileByFile() throws Exception {
    String reason = Containerd.unavailableReason();
    assumeTrue(reason == null, reason);
    LayerImages.push(
        registry,
        "compare/app",
        "1",
        List.of(LayerImages.base(), LayerImages.middle(), LayerImages.top("cmp")));
    String ref = registry.hostPort() + "/compare/app:1";

    Path ours = dir.resolve("hoist-rootfs");
    Path log = dir.resolve("hoist.log");
    int exit =
        Processes.exitCode(
            Processes.hoist(
                log,
                "rootfs",
                "--store",
                dir.resolve("store").toString(),
                "--platform",
                "linux/amd64",
                "--progress",
                "plain",
                ref,
                ours.toString()),
            Duration.ofSeconds(120),
            log);
    assertThat(exit).as(Processes.output(log)).isZero();

    Containerd containerd;
    try {
      containerd = Containerd.start(dir.resolve("containerd"));
    } catch (IOException e) {
      assumeTrue(false, "containerd cannot start here: " + e.getMessage());
      return;
    }
    try (containerd) {
      Containerd.Result pull =
          containerd.ctr(
              Duration.ofSeconds(120),
              "images",
              "pull",
              "--plain-http",
              "--snapshotter",
              "native",
              "--platform",
              "linux/amd64",
              ref);
      assertThat(pull.exit()).as(pull.output()).isZero();
      String top = topChainId(containerd, ref);
      Containerd.Result view =
          containerd.ctr(
              Duration.ofSeconds(60),
              "snapshots",
              "--snapshotter",
              "native",
              "view",
              "--mounts",
              "compare-view",
              top);
      assertThat(view.exit()).as(view.output()).isZero();
      Path theirs = bindSource(view.output());

      assertThat(Trees.differences(Trees.describe(ours), Trees.describe(theirs))).isEmpty();
      assertThat(Trees.describe(ours))
          .isEqualTo(Trees.describe(theirs))
          .containsKey("usr/share/hidden/new");
      assertThat(Trees.hardlinkGroups(ours)).isEqualTo(Trees.hardlinkGroups(theirs)).isNotEmpty();

      // The default snapshotter (overlayfs): pulled into diffs, then merged by hoist rootfs.
      Path pulled = dir.resolve("hoist-pulled-rootfs");
      Path store2 = dir.resolve("store2");
      for (List<String> cmd :
          List.of(
              List.of("pull", "--store", store2.toString(), "--platform", "linux/amd64", ref),
              List.of(
                  "rootfs",
                  "--store",
                  store2.toString(),
                  "--platform",
                  "linux/amd64",
                  ref,
                  pulled.toString()))) {
        Path cmdLog = dir.resolve("hoist-" + cmd.get(0) + ".log");
        int code =
            Processes.exitCode(
                Processes.hoist(cmdLog, cmd.toArray(String[]::new)),
                Duration.ofSeconds(120),
                cmdLog);
        assertThat(code).as(Processes.output(cmdLog)).isZero();
      }
      assertThat(store2.resolve("snapshots/overlayfs")).isDirectory();
      assertThat(Trees.differences(Trees.describe(pulled), Trees.describe(theirs))).isEmpty();
      assertThat(Trees.hardlinkGroups(pulled)).isEqualTo(Trees.hardlinkGroups(theirs));
    }
  }

  /** The image's top chain ID, from the config label containerd wrote. */
  private static String topChainId(Containerd c, String ref)
      throws IOException, InterruptedException {
    Containerd.Result ls = c.ctr(Duration.ofSeconds(30), "content", "ls");
    Matcher m =
        Pattern.compile("containerd\\.io/gc\\.ref\\.snapshot\\.native=(sha256:[0-9a-f]{64})")
            .matcher(ls.output());
    assertThat(m.find()).as(ls.output()).isTrue();
    return m.group(1);
  }

  /** The source of the bind mount {@code ctr snapshots view --mounts} prints (as JSON). */
  private static Path bindSource(String mountCommand) {
    Matcher m = Pattern.compile("\"Source\": \"([^\"]+)\"").matcher(mountCommand);
    assertThat(m.find()).as(mountCommand).isTrue();
    return Path.of(m.group(1));
  }
}
