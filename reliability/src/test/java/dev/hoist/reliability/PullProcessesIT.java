package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.diff.ChainIds;
import dev.hoist.digest.Digest;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.SnapshotInfo;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.unpack.LocalSnapshotter;
import dev.hoist.unpack.OverlaySnapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code hoist pull} as real processes: killed mid-unpack then rerun, and two at once; with the
 * default snapshotter (overlayfs, no option given) and with {@code --snapshotter native}.
 */
@Timeout(300)
class PullProcessesIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  /** The pull arguments before the reference: the store, and the snapshotter unless default. */
  private static List<String> pull(Path store, String snapshotter) {
    List<String> args = new ArrayList<>(List.of("pull", "--store", store.toString()));
    if (!snapshotter.equals(OverlaySnapshotter.NAME)) {
      args.addAll(List.of("--snapshotter", snapshotter));
    }
    args.addAll(List.of("--platform", "linux/amd64", "--progress", "plain"));
    return args;
  }

  private static String[] args(List<String> head, String ref) {
    List<String> all = new ArrayList<>(head);
    all.add(ref);
    return all.toArray(String[]::new);
  }

  private static Snapshotter open(Path store, String snapshotter) throws java.io.IOException {
    Path dir = store.resolve("snapshots").resolve(snapshotter);
    return snapshotter.equals(LocalSnapshotter.NAME)
        ? LocalSnapshotter.open(dir)
        : OverlaySnapshotter.open(dir);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {OverlaySnapshotter.NAME, LocalSnapshotter.NAME})
  void pullKilledMidUnpackLeavesNothingHalfCommittedAndTheRerunCompletes(String snapshotter)
      throws Exception {
    LayerImages.Layer base = LayerImages.base();
    // Thousands of files: applying them takes long enough (well over a second) to be killed in
    // the middle; the test checks that it was (one private active snapshot left, chain 1 absent).
    LayerImages.Layer big = new LayerImages.LayerBuilder().manyFiles("data", 8_000).build();
    LayerImages.push(registry, "crash/app", "1", List.of(base, big));
    String ref = registry.hostPort() + "/crash/app:1";
    Path store = dir.resolve("store");
    List<Digest> chain = ChainIds.of(List.of(base.diffId(), big.diffId()));
    Path log1 = dir.resolve("first.log");

    Process first = Processes.hoist(log1, args(pull(store, snapshotter), ref));
    String unpackingBig = "layer-sha256:" + big.digest().encoded() + ": unpacking";
    // On overlayfs the big layer starts while the base is still being applied: wait for both.
    String unpackedBase = "layer-sha256:" + base.digest().encoded() + ": unpacked";
    Processes.await(
        "the big layer's unpack to start, over the committed base",
        Duration.ofSeconds(120),
        () -> {
          String out = Processes.output(log1);
          return out.contains(unpackingBig) && out.contains(unpackedBase);
        });
    first.destroyForcibly(); // SIGKILL
    first.waitFor();

    assertThat(activeCount(store, snapshotter))
        .as("the killed apply's private snapshot\n" + Processes.output(log1))
        .isEqualTo(1);
    Snapshotter afterKill = open(store, snapshotter);
    assertThat(committedNames(afterKill))
        .as(Processes.output(log1))
        .containsExactly(chain.get(0).toString());
    assertThat(activeCount(store, snapshotter))
        .as("opening removes the unheld private snapshot")
        .isZero();

    Path log2 = dir.resolve("second.log");
    int rerun =
        Processes.exitCode(
            Processes.hoist(log2, args(pull(store, snapshotter), ref)),
            Duration.ofSeconds(180),
            log2);

    assertThat(rerun).as(Processes.output(log2)).isZero();
    assertThat(Processes.output(log2))
        .contains("layer-sha256:" + base.digest().encoded() + ": reused");
    Snapshotter s = open(store, snapshotter);
    assertThat(committedNames(s))
        .containsExactlyInAnyOrderElementsOf(chain.stream().map(Digest::toString).toList());
    assertThat(activeCount(store, snapshotter)).isZero();
    Path rootfs = dir.resolve("rootfs");
    if (s instanceof OverlaySnapshotter overlay) {
      overlay.export(chain.get(1).toString(), rootfs);
    } else {
      ((LocalSnapshotter) s).export(chain.get(1).toString(), rootfs);
    }
    try (var files = Files.list(rootfs.resolve("data"))) {
      assertThat(files.count()).isEqualTo(8_000);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {OverlaySnapshotter.NAME, LocalSnapshotter.NAME})
  void twoProcessesPullingImagesWithSharedLayersApplyEachChainOnceAndBothSucceed(String snapshotter)
      throws Exception {
    LayerImages.Layer base = LayerImages.base();
    LayerImages.Layer shared = new LayerImages.LayerBuilder().manyFiles("shared", 2_000).build();
    LayerImages.push(registry, "two/a", "1", List.of(base, shared, LayerImages.top("a")));
    LayerImages.push(registry, "two/b", "1", List.of(base, shared, LayerImages.top("b")));
    Path store = dir.resolve("store");
    Path logA = dir.resolve("a.log");
    Path logB = dir.resolve("b.log");

    Process a =
        Processes.hoist(logA, args(pull(store, snapshotter), registry.hostPort() + "/two/a:1"));
    Process b =
        Processes.hoist(logB, args(pull(store, snapshotter), registry.hostPort() + "/two/b:1"));

    assertThat(Processes.exitCode(a, Duration.ofSeconds(180), logA))
        .as(Processes.output(logA))
        .isZero();
    assertThat(Processes.exitCode(b, Duration.ofSeconds(180), logB))
        .as(Processes.output(logB))
        .isZero();
    String both = Processes.output(logA) + Processes.output(logB);
    assertThat(count(both, "layer-sha256:" + base.digest().encoded() + ": unpacked ")).isEqualTo(1);
    assertThat(count(both, "layer-sha256:" + shared.digest().encoded() + ": unpacked "))
        .isEqualTo(1);
    assertThat(count(both, "layer-sha256:" + shared.digest().encoded() + ": reused ")).isEqualTo(1);
    Snapshotter s = open(store, snapshotter);
    assertThat(committedNames(s)).hasSize(4);
    assertThat(activeCount(store, snapshotter)).isZero();
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<String> committedNames(Snapshotter s) throws java.io.IOException {
    List<String> names = new ArrayList<>();
    s.walk(
        (SnapshotInfo i) -> {
          if (i.kind() == Kind.COMMITTED) {
            names.add(i.name());
          }
        });
    return names;
  }

  /** Active snapshot directories on disk, counted without opening (which would clean up). */
  private static long activeCount(Path store, String snapshotter) throws java.io.IOException {
    try (var dirs = Files.list(store.resolve("snapshots").resolve(snapshotter).resolve("active"))) {
      return dirs.count();
    }
  }
}
