package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.unpack.internal.tar.ProcessIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarApplierTest {

  @TempDir Path root;

  static ApplyResult apply(byte[] layer, Path root) throws IOException {
    return apply(layer, root, ApplyOptions.defaults());
  }

  static ApplyResult apply(byte[] layer, Path root, ApplyOptions options) throws IOException {
    return TarApplier.create(options).apply(new ByteArrayInputStream(layer), root);
  }

  static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  static Object ino(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void appliesFilesDirectoriesSymlinksHardlinksAndFifos() throws IOException {
    byte[] tar =
        new TestLayer()
            .dir("etc", 0750)
            .file("etc/hosts", "127.0.0.1 localhost\n", 0640)
            .file("bin/tool", "#!/bin/sh\n", 0755)
            .symlink("etc/localhost", "hosts")
            .hardlink("etc/hosts.bak", "etc/hosts", 0640, TestLayer.T0.toEpochMilli())
            .fifo("run/pipe")
            .tar();

    ApplyResult r = apply(TestLayer.gzip(tar), root);

    assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("127.0.0.1 localhost\n");
    assertThat(mode(root.resolve("etc/hosts"))).isEqualTo(0640);
    assertThat(mode(root.resolve("etc"))).isEqualTo(0750);
    assertThat(mode(root.resolve("bin/tool"))).isEqualTo(0755);
    assertThat(mode(root.resolve("bin"))).isEqualTo(0755); // implied parent
    assertThat(Files.readSymbolicLink(root.resolve("etc/localhost"))).isEqualTo(Path.of("hosts"));
    assertThat(ino(root.resolve("etc/hosts.bak"))).isEqualTo(ino(root.resolve("etc/hosts")));
    assertThat(Files.getLastModifiedTime(root.resolve("etc/hosts")).toInstant())
        .isEqualTo(TestLayer.T0);
    assertThat(Files.getLastModifiedTime(root.resolve("etc")).toInstant()).isEqualTo(TestLayer.T0);
    assertThat(
            Files.readAttributes(root.resolve("run/pipe"), "unix:mode", LinkOption.NOFOLLOW_LINKS)
                .get("mode"))
        .satisfies(m -> assertThat((Integer) m & 0170000).isEqualTo(0010000)); // S_IFIFO
    assertThat(mode(root.resolve("run/pipe"))).isEqualTo(0600);
    assertThat(r.entries()).isEqualTo(6);
    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(r.uncompressedSize()).isEqualTo(tar.length);
    assertThat(r.skipped()).isEqualTo(SkipCounts.NONE);
  }

  @Test
  void createsDeviceNodesAsRootAndCountsThemOtherwise() throws IOException {
    byte[] tar = new TestLayer().charDevice("dev/null", 1, 3).tar();

    ApplyResult r = apply(tar, root);

    if (ProcessIdentity.current().isRoot()) {
      int m =
          (Integer)
              Files.getAttribute(root.resolve("dev/null"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
      assertThat(m & 0170000).isEqualTo(0020000); // S_IFCHR
      assertThat(
              Files.getAttribute(root.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo((long) ((1 << 8) | 3));
      assertThat(r.skipped().deviceNodes()).isZero();
    } else {
      assertThat(root.resolve("dev/null")).doesNotExist();
      assertThat(r.skipped().deviceNodes()).isEqualTo(1);
      assertThat(r.skipped().summary()).isEqualTo("skipped: 1 device node");
    }
  }

  @Test
  void paxLongNamesAndLinkTargetsRoundTrip() throws IOException {
    String longDir = "d".repeat(120) + "/" + "e".repeat(120);
    String longName = longDir + "/" + "f".repeat(150) + ".txt";
    String longTarget = "../" + "t".repeat(140);
    byte[] tar =
        new TestLayer()
            .file(longName, "long")
            .symlink("link-with-long-target", longTarget)
            .hardlink("short", longName)
            .file("unicodé/naïve", "ü")
            .tar();

    apply(tar, root);

    assertThat(Files.readString(root.resolve(longName))).isEqualTo("long");
    assertThat(Files.readSymbolicLink(root.resolve("link-with-long-target")).toString())
        .isEqualTo(longTarget);
    assertThat(ino(root.resolve("short"))).isEqualTo(ino(root.resolve(longName)));
    assertThat(Files.readString(root.resolve("unicodé/naïve"))).isEqualTo("ü");
  }

  @Test
  void gnuLongNamesAndLinksRoundTrip() throws IOException {
    String longName = "g".repeat(130) + "/" + "h".repeat(130);
    byte[] tar =
        new TestLayer(TarArchiveOutputStream.LONGFILE_GNU)
            .file(longName, "gnu")
            .hardlink("x".repeat(110), longName)
            .tar();

    apply(tar, root);

    assertThat(Files.readString(root.resolve(longName))).isEqualTo("gnu");
    assertThat(ino(root.resolve("x".repeat(110)))).isEqualTo(ino(root.resolve(longName)));
  }

  @Test
  void sizeBeyondTheOctalFieldIsReadFromPax() throws IOException {
    // An 8 GiB file is not cheap to build; check instead that the reader takes its size from a PAX
    // "size" record rather than the (here deliberately wrong) ustar field.
    byte[] content = "pax-size".getBytes(UTF_8);
    TarArchiveEntry e = TestLayer.entry("big", TarConstants.LF_NORMAL);
    e.setMode(0644);
    byte[] tar = new TestLayer().file(e, content).tar();
    PaxRecords.patchSize(tar, 0, 0);
    byte[] withPax =
        PaxRecords.prependPax(tar, Map.of("size", Integer.toString(content.length)), 0);

    apply(withPax, root);

    assertThat(Files.readString(root.resolve("big"))).isEqualTo("pax-size");
  }

  @Test
  void readOnlyFilesAndDirectoriesAreFilledThenProtected() throws IOException {
    byte[] tar =
        new TestLayer()
            .dir("ro", 0555)
            .file("ro/file", "content", 0444)
            .dir("ro/sub", 0500)
            .file("ro/sub/deep", "deep", 0400)
            .tar();

    apply(tar, root);

    assertThat(Files.readString(root.resolve("ro/file"))).isEqualTo("content");
    assertThat(mode(root.resolve("ro"))).isEqualTo(0555);
    assertThat(mode(root.resolve("ro/file"))).isEqualTo(0444);
    assertThat(mode(root.resolve("ro/sub"))).isEqualTo(0500);
    assertThat(mode(root.resolve("ro/sub/deep"))).isEqualTo(0400);
  }

  @Test
  void modesBeyondTheUmaskAndSpecialBitsAreApplied() throws IOException {
    byte[] tar =
        new TestLayer()
            .file("world-writable", "w", 0666)
            .file("setuid", "s", 04755)
            .dir("tmp", 01777)
            .dir("shared", 02775)
            .tar();

    ApplyResult r = apply(tar, root, ApplyOptions.builder().preserveOwnership(true).build());

    assertThat(mode(root.resolve("world-writable"))).isEqualTo(0666);
    assertThat(mode(root.resolve("tmp"))).isEqualTo(01777);
    if (ProcessIdentity.current().isRoot()) {
      assertThat(mode(root.resolve("setuid"))).isEqualTo(04755);
      assertThat(mode(root.resolve("shared"))).isEqualTo(02775);
      assertThat(r.skipped()).isEqualTo(SkipCounts.NONE);
    }
  }

  @Test
  void setuidBitsAreDroppedAndCountedWhenTheOwnerIsNotApplied() throws IOException {
    TarArchiveEntry e = TestLayer.entry("su", TarConstants.LF_NORMAL);
    e.setMode(04755);
    e.setUserId(4242);
    e.setGroupId(4242);
    byte[] tar = new TestLayer().file(e, "x".getBytes(UTF_8)).tar();

    ApplyResult r = apply(tar, root, ApplyOptions.builder().preserveOwnership(false).build());

    assertThat(mode(root.resolve("su"))).isEqualTo(0755);
    assertThat(r.skipped().specialModeBits()).isEqualTo(1);
    assertThat(r.skipped().ownership()).isEqualTo(1);
    assertThat(r.skipped().summary()).isEqualTo("skipped: 1 owner, 1 setuid/setgid mode");
  }

  @Test
  void ownersAreAppliedAsRootWithoutFollowingLinks() throws IOException {
    assumeTrue(ProcessIdentity.current().isRoot(), "chown needs root");
    TarArchiveEntry f = TestLayer.entry("owned", TarConstants.LF_NORMAL);
    f.setMode(0644);
    f.setUserId(1234);
    f.setGroupId(5678);
    TarArchiveEntry l = TestLayer.entry("link", TarConstants.LF_SYMLINK);
    l.setLinkName("owned");
    l.setUserId(99);
    l.setGroupId(98);
    byte[] tar = new TestLayer().file(f, new byte[0]).put(l, null).tar();

    ApplyResult r = apply(tar, root);

    assertThat(Files.getAttribute(root.resolve("owned"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(1234);
    assertThat(Files.getAttribute(root.resolve("owned"), "unix:gid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(5678);
    assertThat(Files.getAttribute(root.resolve("link"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(99);
    assertThat(r.skipped().ownership()).isZero();
  }

  @Test
  void strictFailsNamingTheEntryInsteadOfSkippingAnOwner() {
    TarArchiveEntry e = TestLayer.entry("theirs", TarConstants.LF_NORMAL);
    e.setMode(0644);
    e.setUserId(4242);
    byte[] tar = new TestLayer().file(e, new byte[0]).tar();

    assertThatThrownBy(
            () ->
                apply(
                    tar,
                    root,
                    ApplyOptions.builder().preserveOwnership(false).strict(true).build()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("\"theirs\"")
        .hasMessageContaining("owner 4242:0");
  }

  @Test
  void userXattrsAreWrittenAndOtherNamespacesCounted() throws IOException {
    byte[] tar =
        new TestLayer()
            .withPax(
                "x",
                "data",
                Map.of(
                    "SCHILY.xattr.user.origin", "hoist-test",
                    "SCHILY.xattr.security.capability", "\u0001\u0000"))
            .tar();

    ApplyResult r = apply(tar, root);

    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(root.resolve("x"), UserDefinedFileAttributeView.class);
    ByteBuffer b = ByteBuffer.allocate(v.size("origin"));
    v.read("origin", b);
    assertThat(new String(b.array(), UTF_8)).isEqualTo("hoist-test");
    assertThat(r.skipped().xattrs()).isEqualTo(1);
  }

  @Test
  void diffIdCoversTheWholeStreamIncludingPaddingAfterTheEndMarker()
      throws IOException, InterruptedException {
    byte[] tar = new TestLayer().file("a", "a").tar();
    byte[] padded = Arrays.copyOf(tar, tar.length + 4096); // more zero blocks than the end marker
    Path file = Files.write(root.resolveSibling(root.getFileName() + ".tar"), padded);
    try {
      Process p = new ProcessBuilder("sha256sum", file.toString()).start();
      String sum = new String(p.getInputStream().readAllBytes(), UTF_8).split(" ")[0];
      assertThat(p.waitFor()).isZero();

      ApplyResult r = apply(TestLayer.gzip(padded), root);

      assertThat(r.diffId()).isEqualTo(Digest.parse("sha256:" + sum));
      assertThat(r.uncompressedSize()).isEqualTo(padded.length);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void diffIdMismatchIsADigestMismatchNamingBothDigests() {
    byte[] tar = new TestLayer().file("a", "a").tar();
    Digest wrong = Digest.sha256("something else");

    assertThatThrownBy(() -> apply(tar, root, ApplyOptions.builder().expectedDiffId(wrong).build()))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(wrong);
              assertThat(e.actual()).isEqualTo(Digest.sha256(tar));
            });
  }

  @Test
  void matchingDiffIdPasses() throws IOException {
    byte[] tar = new TestLayer().file("a", "a").tar();

    ApplyResult r =
        apply(
            TestLayer.gzip(tar),
            root,
            ApplyOptions.builder().expectedDiffId(Digest.sha256(tar)).build());

    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
  }

  @Test
  void multiMemberGzipIsReadToTheLastMemberEvenWhenAvailableSaysZero() throws IOException {
    byte[] tar = new TestLayer().file("first", "1").file("second", "2".repeat(100_000)).tar();
    int cut = 1024;
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    two.write(TestLayer.gzip(Arrays.copyOfRange(tar, 0, cut)));
    two.write(TestLayer.gzip(Arrays.copyOfRange(tar, cut, tar.length)));
    InputStream stingy =
        new ByteArrayInputStream(two.toByteArray()) {
          @Override
          public synchronized int available() {
            return 0;
          }
        };

    ApplyResult r = TarApplier.create(ApplyOptions.defaults()).apply(stingy, root);

    assertThat(Files.readString(root.resolve("second"))).hasSize(100_000);
    assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
  }

  @Test
  void bytesAfterTheLastGzipMemberThatAreNoGzipAreRejected() {
    byte[] gz = TestLayer.gzip(new TestLayer().file("a", "a").tar());
    byte[] trailing = Arrays.copyOf(gz, gz.length + 3);

    assertThatThrownBy(() -> apply(trailing, root))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("gzip");
  }

  @Test
  void corruptGzipIsInvalidArgument() {
    byte[] gz = TestLayer.gzip(new TestLayer().file("a", "a".repeat(5000)).tar());
    gz[gz.length / 2] ^= 0x55;
    gz[gz.length / 2 + 1] ^= 0x55;

    assertThatThrownBy(() -> apply(gz, root)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void truncatedTarIsInvalidArgument() {
    byte[] tar = new TestLayer().file("a", "a".repeat(5000)).tar();
    byte[] cut = Arrays.copyOf(tar, 2048);

    assertThatThrownBy(() -> apply(cut, root))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("layer: malformed");
  }

  @Test
  void aFailingSourceStreamIsPassedOnAsItsOwnException() {
    IOException boom = new IOException("connection reset");
    byte[] gz = TestLayer.gzip(new TestLayer().file("a", "a".repeat(100_000)).tar());
    InputStream failing =
        new InputStream() {
          int pos;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= 100) {
              throw boom;
            }
            int n = Math.min(len, 100 - pos);
            System.arraycopy(gz, pos, b, off, n);
            pos += n;
            return n;
          }
        };

    assertThatThrownBy(() -> TarApplier.create(ApplyOptions.defaults()).apply(failing, root))
        .isSameAs(boom);
  }

  @Test
  void directoryTimesAreSetAfterTheirContents() throws IOException {
    TarArchiveEntry d = TestLayer.entry("d/", TarConstants.LF_DIR);
    d.setMode(0755);
    d.setModTime(FileTime.from(TestLayer.T0.minusSeconds(86_400)));
    byte[] tar = new TestLayer().put(d, null).file("d/a", "a").file("d/b", "b").tar();

    apply(tar, root);

    assertThat(Files.getLastModifiedTime(root.resolve("d")).toInstant())
        .isEqualTo(TestLayer.T0.minusSeconds(86_400));
  }

  @Test
  void entriesReplaceWhatLowerLayersHadAtTheirName() throws IOException {
    apply(
        new TestLayer()
            .dir("was-dir")
            .file("was-dir/child", "c")
            .file("was-file", "f")
            .dir("was-link-target")
            .symlink("was-link", "was-link-target")
            .dir("merged", 0700)
            .file("merged/lower", "lower")
            .tar(),
        root);

    apply(
        new TestLayer()
            .file("was-dir", "now a file")
            .dir("was-file")
            .file("was-link", "now a file")
            .dir("merged", 0755)
            .file("merged/upper", "upper")
            .tar(),
        root);

    assertThat(Files.readString(root.resolve("was-dir"))).isEqualTo("now a file");
    assertThat(root.resolve("was-file")).isDirectory();
    assertThat(Files.isSymbolicLink(root.resolve("was-link"))).isFalse();
    assertThat(Files.readString(root.resolve("was-link"))).isEqualTo("now a file");
    assertThat(root.resolve("was-link-target")).isDirectory();
    assertThat(Files.readString(root.resolve("merged/lower"))).isEqualTo("lower");
    assertThat(Files.readString(root.resolve("merged/upper"))).isEqualTo("upper");
    assertThat(mode(root.resolve("merged"))).isEqualTo(0755);
  }

  @Test
  void aHardlinkEntrysModeAndMtimeGoOntoTheInodeItSharesAsContainerdDoes() throws IOException {
    long mtime = 1_700_000_000_000L;
    apply(
        new TestLayer()
            .file("tool", "#!/bin/sh\n", 0755)
            .hardlink("tool-again", "tool", 0700, mtime)
            .tar(),
        root);

    for (String name : List.of("tool", "tool-again")) {
      assertThat(Files.getPosixFilePermissions(root.resolve(name)))
          .as(name)
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.getLastModifiedTime(root.resolve(name)).toMillis())
          .as(name)
          .isEqualTo(mtime);
    }
  }

  @Test
  void aFileReplacingAHardlinkLeavesTheOtherNameIntact() throws IOException {
    apply(new TestLayer().file("orig", "original").hardlink("alias", "orig").tar(), root);

    apply(new TestLayer().file("alias", "replaced").tar(), root);

    assertThat(Files.readString(root.resolve("orig"))).isEqualTo("original");
    assertThat(Files.readString(root.resolve("alias"))).isEqualTo("replaced");
  }

  @Test
  void aTarEndingWithoutItsEndMarkerIsAccepted() throws IOException {
    byte[] tar = new TestLayer().file("a", "a").tar();
    byte[] bare = Arrays.copyOf(tar, 1024); // header + one data block, no zero blocks

    ApplyResult r = apply(bare, root);

    assertThat(root.resolve("a")).hasContent("a");
    assertThat(r.diffId()).isEqualTo(Digest.sha256(bare));
  }

  @Test
  void theRootEntryIsIgnored() throws IOException {
    int before = mode(root);
    byte[] tar = new TestLayer().dir("./", 0700).file("./a", "a").tar();

    ApplyResult r = apply(tar, root);

    assertThat(mode(root)).isEqualTo(before);
    assertThat(r.entries()).isEqualTo(2);
    assertThat(root.resolve("a")).hasContent("a");
  }

  @Test
  void noDecompressionThreadOutlivesAnApplyThatFailedMidStream() {
    TestLayer layer = new TestLayer();
    for (int i = 0; i < 50; i++) {
      layer.file("f" + i, "x".repeat(100_000));
    }
    layer.file("f0/under-a-file", "boom");
    byte[] gz = TestLayer.gzip(layer.tar());

    assertThatThrownBy(() -> apply(gz, root)).isInstanceOf(InvalidArgumentException.class);

    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("hoist-unpack-decompress"));
  }

  @Test
  void anInterruptedCallerGetsACancellationAndKeepsItsFlag() {
    byte[] gz = TestLayer.gzip(new TestLayer().file("a", "a".repeat(100_000)).tar());

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> apply(gz, root))
          .isInstanceOf(java.util.concurrent.CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("hoist-unpack-decompress"));
  }

  @Test
  void aMissingRootIsInvalidArgument() {
    byte[] tar = new TestLayer().file("a", "a").tar();

    assertThatThrownBy(() -> apply(tar, root.resolve("missing")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("missing");
  }
}
