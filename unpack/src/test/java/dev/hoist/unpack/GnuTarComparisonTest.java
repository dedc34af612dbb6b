package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.digest.Digest;
import dev.hoist.unpack.internal.tar.ProcessIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tree archived by GNU tar (a real GNU or PAX archive, not one of ours), extracted once by GNU
 * tar with {@code --same-permissions} and once by {@link TarApplier}: both trees must agree on
 * every path's type, mode, size, content, symlink target, hardlink grouping, mtime (seconds) and,
 * as root, owner.
 */
class GnuTarComparisonTest {

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"posix", "gnu"})
  void applierMatchesGnuTarExtraction(String format) throws Exception {
    Path src = Files.createDirectory(work.resolve("src"));
    buildTree(src);
    Path archive = work.resolve("layer.tar");
    run("tar", "--format=" + format, "-C", src.toString(), "-cf", archive.toString(), ".");
    Path byTar = Files.createDirectory(work.resolve("tar"));
    run(
        "tar",
        "-C",
        byTar.toString(),
        "-xf",
        archive.toString(),
        "--same-permissions",
        "--numeric-owner");
    Path byHoist = Files.createDirectory(work.resolve("hoist"));
    byte[] layer = Files.readAllBytes(archive);

    ApplyResult r =
        TarApplier.create(ApplyOptions.defaults())
            .apply(new ByteArrayInputStream(TestLayer.gzip(layer)), byHoist);

    assertThat(r.diffId()).isEqualTo(Digest.sha256(layer));
    Map<String, String> expected = describe(byTar);
    assertThat(expected).hasSizeGreaterThan(20);
    assertThat(describe(byHoist)).isEqualTo(expected);
  }

  private static void buildTree(Path src) throws Exception {
    boolean root = ProcessIdentity.current().isRoot();
    Instant t = Instant.parse("2020-01-02T03:04:05Z");
    Files.createDirectories(src.resolve("usr/bin"));
    Files.createDirectories(src.resolve("usr/lib/deep/er/still"));
    Files.createDirectories(src.resolve("etc/ssl"));
    Files.writeString(src.resolve("etc/hostname"), "hoist\n");
    Files.writeString(src.resolve("etc/empty"), "");
    Files.writeString(src.resolve("etc/shadow"), "root:*:1:0:99999:7:::\n");
    Files.setAttribute(src.resolve("etc/shadow"), "unix:mode", 0640);
    Files.writeString(src.resolve("etc/ro"), "read only");
    Files.setAttribute(src.resolve("etc/ro"), "unix:mode", 0444);
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >> 9));
    }
    Files.write(src.resolve("usr/lib/libbig.so"), big);
    Files.writeString(src.resolve("usr/bin/tool"), "#!/bin/sh\necho hi\n");
    Files.setAttribute(src.resolve("usr/bin/tool"), "unix:mode", 0755);
    Files.writeString(src.resolve("usr/bin/su"), "setuid");
    Files.setAttribute(src.resolve("usr/bin/su"), "unix:mode", root ? 04755 : 0755);
    Files.createLink(src.resolve("usr/bin/tool-alias"), src.resolve("usr/bin/tool"));
    Files.createLink(src.resolve("usr/lib/deep/er/still/hard"), src.resolve("usr/lib/libbig.so"));
    Files.createSymbolicLink(src.resolve("usr/lib/libbig.so.1"), Path.of("libbig.so"));
    Files.createSymbolicLink(src.resolve("etc/abs"), Path.of("/usr/bin/tool"));
    Files.createSymbolicLink(src.resolve("etc/dangling"), Path.of("../nowhere/x"));
    Files.createSymbolicLink(src.resolve("lib"), Path.of("usr/lib"));
    String longDir = "usr/share/" + "l".repeat(90) + "/" + "m".repeat(90);
    Files.createDirectories(src.resolve(longDir));
    Files.writeString(src.resolve(longDir + "/" + "n".repeat(120)), "long");
    Files.createSymbolicLink(src.resolve("usr/share/long-link"), Path.of("../" + "t".repeat(150)));
    Files.writeString(src.resolve("usr/share/naïve café"), "utf-8 name");
    Files.createDirectories(src.resolve("tmp"));
    Files.setAttribute(src.resolve("tmp"), "unix:mode", 01777);
    Files.createDirectories(src.resolve("srv/locked"));
    Files.writeString(src.resolve("srv/locked/inside"), "x");
    run("mkfifo", src.resolve("run-pipe").toString());
    if (root) {
      Files.setAttribute(src.resolve("etc/shadow"), "unix:gid", 42);
      Files.setAttribute(src.resolve("usr/lib/libbig.so"), "unix:uid", 1000);
      Files.setAttribute(
          src.resolve("usr/lib/libbig.so.1"), "unix:uid", 1001, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(src.resolve("srv"), "unix:gid", 50);
    }
    // Distinct mtimes, directories last (writing into them changes theirs).
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(src)) {
      s.forEach(all::add);
    }
    int i = 0;
    for (Path p : all) {
      // Regular files only: the JDK opens a path to set its times, which blocks on a fifo.
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.setLastModifiedTime(p, FileTime.from(t.plusSeconds(1000L * i++)));
      }
    }
    for (int k = all.size() - 1; k >= 0; k--) {
      Path p = all.get(k);
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.setLastModifiedTime(p, FileTime.from(t.plusSeconds(7L * k)));
      }
    }
    Files.setAttribute(src.resolve("srv/locked"), "unix:mode", 0500);
  }

  /**
   * One line per path: type, mode, owner, size, content hash or link target, hardlink group, mtime.
   */
  private static Map<String, String> describe(Path top) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Map<Object, String> firstNameOfInode = new HashMap<>();
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(top)) {
      s.sorted().forEach(all::add);
    }
    for (Path p : all) {
      if (p.equals(top)) {
        continue; // the root's own attributes are the caller's (containerd ignores the "." entry)
      }
      String rel = top.relativize(p).toString();
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Map<String, Object> u =
          Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) u.get("mode");
      StringBuilder d = new StringBuilder();
      d.append(Integer.toOctalString(mode))
          .append(' ')
          .append(u.get("uid"))
          .append(':')
          .append(u.get("gid"));
      if (a.isSymbolicLink()) {
        d.append(" -> ").append(Files.readSymbolicLink(p));
      } else {
        if (a.isRegularFile()) {
          d.append(" size=")
              .append(a.size())
              .append(" sha256=")
              .append(Digest.sha256(Files.readAllBytes(p)).hex(), 0, 12);
          if ((Integer) u.get("nlink") > 1) {
            d.append(" inode-of=").append(firstNameOfInode.computeIfAbsent(u.get("ino"), k -> rel));
          }
        }
        d.append(" mtime=").append(a.lastModifiedTime().toInstant().getEpochSecond());
      }
      out.put(rel, d.toString());
    }
    return out;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), output).isZero();
  }
}
