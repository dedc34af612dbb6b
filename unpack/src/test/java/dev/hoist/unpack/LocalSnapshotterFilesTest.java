package dev.hoist.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.SnapshotLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSnapshotterFilesTest {

  @TempDir Path root;
  @TempDir Path out;

  private static Path fs(List<Mount> mounts) {
    assertThat(mounts).hasSize(1);
    assertThat(mounts.get(0).type()).isEqualTo("bind");
    return Path.of(mounts.get(0).source());
  }

  private LocalSnapshotter baseWithFiles() throws IOException {
    LocalSnapshotter s = LocalSnapshotter.open(root);
    Path fs = fs(s.prepare("k0", null, Map.of()));
    Files.createDirectories(fs.resolve("etc"));
    Files.writeString(fs.resolve("etc/passwd"), "root:x:0:0\n");
    Files.setPosixFilePermissions(
        fs.resolve("etc/passwd"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(fs.resolve("etc/passwd"), FileTime.fromMillis(1_000_000_000_000L));
    Files.createLink(fs.resolve("etc/passwd-link"), fs.resolve("etc/passwd"));
    Files.createSymbolicLink(fs.resolve("etc/alias"), Path.of("passwd"));
    Files.setLastModifiedTime(fs.resolve("etc"), FileTime.fromMillis(1_100_000_000_000L));
    s.commit("sha256:" + "a".repeat(64), "k0", Map.of());
    return s;
  }

  @Test
  void preparedChildStartsAsACopyOfItsParentAndChangingItLeavesTheParentAlone() throws IOException {
    LocalSnapshotter s = baseWithFiles();
    String base = "sha256:" + "a".repeat(64);

    Path child = fs(s.prepare("k1", base, Map.of()));

    assertThat(Files.readString(child.resolve("etc/passwd"))).isEqualTo("root:x:0:0\n");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(child.resolve("etc/passwd"))))
        .isEqualTo("rw-r-----");
    assertThat(Files.getLastModifiedTime(child.resolve("etc/passwd")).toMillis())
        .isEqualTo(1_000_000_000_000L);
    assertThat(Files.getLastModifiedTime(child.resolve("etc")).toMillis())
        .isEqualTo(1_100_000_000_000L);
    assertThat(Files.isSameFile(child.resolve("etc/passwd"), child.resolve("etc/passwd-link")))
        .isTrue();
    assertThat(Files.readSymbolicLink(child.resolve("etc/alias"))).isEqualTo(Path.of("passwd"));

    Files.writeString(child.resolve("etc/passwd"), "changed");
    s.commit("sha256:" + "b".repeat(64), "k1", Map.of());
    s.export(base, out.resolve("base"));

    assertThat(Files.readString(out.resolve("base/etc/passwd"))).isEqualTo("root:x:0:0\n");
  }

  @Test
  void exportWritesAPlainCopyAndRefusesANonEmptyDirectory() throws IOException {
    LocalSnapshotter s = baseWithFiles();
    String base = "sha256:" + "a".repeat(64);
    Path target = out.resolve("rootfs");

    s.export(base, target);

    assertThat(Files.isSameFile(target.resolve("etc/passwd"), target.resolve("etc/passwd-link")))
        .isTrue();
    assertThat(Files.getAttribute(target.resolve("etc/passwd"), "unix:ino"))
        .isNotEqualTo(
            Files.getAttribute(
                root.resolve("committed/sha256-" + "a".repeat(64) + "/fs/etc/passwd"), "unix:ino"));
    assertThatThrownBy(() -> s.export(base, target))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not empty");
  }

  @Test
  void hostileKeysNeverNamePathsOutsideTheRoot() throws IOException {
    LocalSnapshotter s = LocalSnapshotter.open(root.resolve("snaps"));

    Path fs = fs(s.prepare("../../escape", null, Map.of()));
    fs(s.prepare("/etc", null, Map.of()));

    assertThat(fs.normalize().startsWith(root.resolve("snaps/active"))).isTrue();
    assertThat(s.stat("../../escape").kind()).isEqualTo(Kind.ACTIVE);
    try (Stream<Path> top = Files.list(root)) {
      assertThat(top).containsExactly(root.resolve("snaps"));
    }
  }

  @Test
  void reopeningRemovesTransientActiveSnapshotsNoProcessHoldsAndKeepsOthers() throws IOException {
    LocalSnapshotter first = LocalSnapshotter.open(root);
    first.prepare("extract-1 sha256:x", null, Map.of(SnapshotLabels.TRANSIENT, "sha256:x"));
    first.prepare("user-container", null, Map.of());
    Files.createDirectories(root.resolve("trash/rm-half/fs"));

    LocalSnapshotter whileHeld = LocalSnapshotter.open(root);
    assertThat(whileHeld.stat("extract-1 sha256:x").kind()).isEqualTo(Kind.ACTIVE);

    first.releaseHolds(); // what the OS does to a killed process's locks
    LocalSnapshotter afterCrash = LocalSnapshotter.open(root);

    assertThatThrownBy(() -> afterCrash.stat("extract-1 sha256:x"))
        .isInstanceOf(dev.hoist.errors.NotFoundException.class);
    assertThat(afterCrash.stat("user-container").kind()).isEqualTo(Kind.ACTIVE);
    try (Stream<Path> trash = Files.list(root.resolve("trash"))) {
      assertThat(trash).isEmpty();
    }
  }

  @Test
  void commitMovesTheTreeWithoutCopyingIt() throws IOException {
    LocalSnapshotter s = LocalSnapshotter.open(root);
    Path fs = fs(s.prepare("k", null, Map.of()));
    Files.writeString(fs.resolve("f"), "x");
    Object inode = Files.getAttribute(fs.resolve("f"), "unix:ino", LinkOption.NOFOLLOW_LINKS);

    s.commit("sha256:" + "c".repeat(64), "k", Map.of());

    Path committed = root.resolve("committed/sha256-" + "c".repeat(64) + "/fs/f");
    assertThat(Files.getAttribute(committed, "unix:ino", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(inode);
    assertThat(Files.exists(fs)).isFalse();
  }

  @Test
  void anUnpacksSnapshotSharesItsParentsFilesWhileAPlainPrepareCopiesThem() throws IOException {
    LocalSnapshotter s = baseWithFiles();
    String base = "sha256:" + "a".repeat(64);

    Path shared = fs(s.prepare("unpack", base, Map.of(SnapshotLabels.TRANSIENT, "c")));
    Path copied = fs(s.prepare("container", base, Map.of()));

    // The parent's two names plus the unpack's two: one inode; the plain copy has its own.
    assertThat(nlink(shared.resolve("etc/passwd"))).isEqualTo(4);
    assertThat(nlink(copied.resolve("etc/passwd"))).isEqualTo(2);
    assertThat(Files.isSameFile(shared.resolve("etc/passwd"), copied.resolve("etc/passwd")))
        .isFalse();
    assertThat(Files.readString(shared.resolve("etc/passwd"))).isEqualTo("root:x:0:0\n");
    assertThat(Files.readSymbolicLink(shared.resolve("etc/alias"))).isEqualTo(Path.of("passwd"));
  }

  @Test
  void aHardlinkEntryOverASharedFileChangesTheUnpacksInodeNeverTheParents() throws IOException {
    LocalSnapshotter s = baseWithFiles();
    String base = "sha256:" + "a".repeat(64);
    Path child = fs(s.prepare("unpack", base, Map.of(SnapshotLabels.TRANSIENT, "c")));
    long mtime = 1_700_000_000_000L;

    TarApplier.create(ApplyOptions.defaults())
        .apply(
            new java.io.ByteArrayInputStream(
                new TestLayer()
                    .file("tmp/new", "x")
                    .hardlink("etc/shadow", "etc/passwd", 0600, mtime)
                    .tar()),
            child);
    s.commit("sha256:" + "b".repeat(64), "unpack", Map.of());
    s.export(base, out.resolve("base"));
    s.export("sha256:" + "b".repeat(64), out.resolve("top"));

    Path parent = out.resolve("base/etc");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(parent.resolve("passwd"))))
        .isEqualTo("rw-r-----");
    assertThat(Files.getLastModifiedTime(parent.resolve("passwd")).toMillis())
        .isEqualTo(1_000_000_000_000L);
    assertThat(Files.isSameFile(parent.resolve("passwd"), parent.resolve("passwd-link"))).isTrue();
    assertThat(parent.resolve("shadow")).doesNotExist();
    Path top = out.resolve("top/etc");
    for (String name : List.of("passwd", "passwd-link", "shadow")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(top.resolve(name))))
          .as(name)
          .isEqualTo("rw-------");
      assertThat(Files.getLastModifiedTime(top.resolve(name)).toMillis()).as(name).isEqualTo(mtime);
      assertThat(Files.isSameFile(top.resolve(name), top.resolve("passwd"))).as(name).isTrue();
    }
    assertThat(Files.readString(top.resolve("shadow"))).isEqualTo("root:x:0:0\n");
    try (Stream<Path> names = Files.list(top)) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("passwd", "passwd-link", "shadow", "alias");
    }
  }

  private static int nlink(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
  }
}
