package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --snapshotter}: overlayfs by default, native for a store that already has native. */
class SnapshotterOptionTest {

  @TempDir Path tmp;

  @Test
  void aNewStoreUsesOverlayfs() {
    Path store = tmp.resolve("store");

    CliRun run = CliRun.of("snapshots", "ls", "--store", store.toString());

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(store.resolve("snapshots/overlayfs")).isDirectory();
    assertThat(store.resolve("snapshots/native")).doesNotExist();
  }

  @Test
  void aStoreWithNativeSnapshotsKeepsNativeUnlessToldOtherwise() throws Exception {
    Path store = tmp.resolve("store");
    Files.createDirectories(store.resolve("snapshots/native"));

    CliRun byDefault = CliRun.of("snapshots", "ls", "--store", store.toString());

    assertThat(byDefault.status()).as(byDefault.err()).isZero();
    assertThat(store.resolve("snapshots/native/committed")).isDirectory();
    assertThat(store.resolve("snapshots/overlayfs")).doesNotExist();

    CliRun told =
        CliRun.of("snapshots", "ls", "--store", store.toString(), "--snapshotter", "overlayfs");

    assertThat(told.status()).as(told.err()).isZero();
    assertThat(store.resolve("snapshots/overlayfs/committed")).isDirectory();
  }

  @Test
  void anUnknownSnapshotterIsAUsageErrorNamingIt() {
    CliRun run = CliRun.of("snapshots", "ls", "--store", tmp.toString(), "--snapshotter", "btrfs");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--snapshotter must be overlayfs or native, got 'btrfs'");
    CliRun gc = CliRun.of("gc", "--store", tmp.toString(), "--snapshotter", "zfs");
    assertThat(gc.status()).isEqualTo(2);
    assertThat(gc.err()).contains("got 'zfs'");
  }

  @Test
  void helpOfPullRootfsSnapshotsAndGcExplainsTheDefault() {
    for (String[] cmd :
        new String[][] {{"pull"}, {"rootfs"}, {"snapshots", "ls"}, {"snapshots", "rm"}, {"gc"}}) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = "--help";
      CliRun run = CliRun.of(args);

      assertThat(run.out()).contains("--snapshotter NAME").contains("snapshots/native");
    }
  }
}
