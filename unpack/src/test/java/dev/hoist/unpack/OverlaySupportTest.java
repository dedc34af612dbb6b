package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OverlaySnapshotter#unsupportedIn}: whether a filesystem can hold overlay diffs. */
class OverlaySupportTest {

  @TempDir Path tmp;

  @Test
  void aFilesystemWithWhiteoutsAndUserXattrsIsSupportedAndTheProbeLeavesNothing() throws Exception {
    Path dir = tmp.resolve("snapshots");
    // The temporary directory's filesystem is the one the other overlay tests write diffs on.
    Optional<String> reason = OverlaySnapshotter.unsupportedIn(dir);

    assertThat(reason).isEmpty();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aFilesystemWithoutUserXattrsIsNotAndSaysWhy() throws Exception {
    // ramfs keeps no user xattrs. Mounting it needs root (CI runs as root).
    Path mnt = Files.createDirectories(tmp.resolve("ramfs"));
    assumeTrue(run("mount", "-t", "ramfs", "ramfs", mnt.toString()), "cannot mount a ramfs here");
    try {
      Optional<String> reason = OverlaySnapshotter.unsupportedIn(mnt.resolve("snapshots"));

      assertThat(reason).hasValueSatisfying(r -> assertThat(r).contains("no user xattrs in "));
      try (Stream<Path> left = Files.list(mnt.resolve("snapshots"))) {
        assertThat(left).isEmpty();
      }
    } finally {
      run("umount", mnt.toString());
    }
  }

  static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
