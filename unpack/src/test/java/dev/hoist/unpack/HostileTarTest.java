package dev.hoist.unpack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile layers: whatever they say, nothing outside the root is created, changed or removed. Each
 * test runs in a sentinel directory holding the root and an {@code outside} directory with a
 * secret; after each test everything outside the root must be exactly as before.
 */
class HostileTarTest {

  @TempDir Path sandbox;
  Path root;
  Path outside;
  Path secret;
  Map<String, String> before;

  /**
   * A name unique to this run, so an escape to the real / (as root!) would be seen, not assumed.
   */
  final String unique = "hoist-hostile-" + UUID.randomUUID();

  @BeforeEach
  void sentinel() throws IOException {
    before(); // e.g. the overlay variant's lower layers, outside the root and never to change
    root = Files.createDirectory(sandbox.resolve("root"));
    outside = Files.createDirectory(sandbox.resolve("outside"));
    secret = Files.writeString(outside.resolve("secret"), "do not touch");
    before = snapshotOutsideRoot();
  }

  /** Creates what the variant needs next to the root before the sentinel snapshot. */
  void before() throws IOException {}

  @AfterEach
  void nothingOutsideTheRootChanged() throws IOException {
    assertThat(snapshotOutsideRoot()).isEqualTo(before);
    assertThat(Path.of("/" + unique)).doesNotExist();
    assertThat(Path.of("/etc/" + unique)).doesNotExist();
    assertThat(Path.of("/tmp/" + unique)).doesNotExist();
  }

  /**
   * Every path of the sandbox outside the root, with its type, size, link count, mtime and content.
   */
  private Map<String, String> snapshotOutsideRoot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(sandbox)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.startsWith(root)) {
          if (p.equals(root)) {
            m.put("root", Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) ? "d" : "?");
          }
          continue;
        }
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String content = a.isRegularFile() ? Files.readString(p) : "";
        m.put(
            sandbox.relativize(p).toString(),
            (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f")
                + " "
                + a.size()
                + " "
                + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)
                + " "
                + (a.isDirectory() ? "" : a.lastModifiedTime())
                + " "
                + content);
      }
    }
    return m;
  }

  /** Applies {@code tar} onto {@code root}; the overlay variant overrides it. */
  ApplyResult apply(byte[] tar) throws IOException {
    return TarApplierTest.apply(tar, root);
  }

  @Test
  void dotDotNamesAreClampedAtTheRoot() throws IOException {
    apply(
        new TestLayer()
            .file("../../" + unique, "x")
            .file("a/../../../outside/secret", "overwritten")
            .tar());

    assertThat(root.resolve(unique)).hasContent("x");
    assertThat(root.resolve("outside/secret")).hasContent("overwritten");
  }

  @Test
  void absoluteNamesLandInsideTheRoot() throws IOException {
    apply(new TestLayer().file("/" + unique, "x").file(outside + "/secret", "inside").tar());

    assertThat(root.resolve(unique)).hasContent("x");
    assertThat(root.resolve(outside.toString().substring(1) + "/secret")).hasContent("inside");
  }

  @Test
  void writeThroughAnAbsoluteSymlinkStaysInsideTheRoot() throws IOException {
    apply(
        new TestLayer()
            .symlink("etc-link", "/etc")
            .file("etc-link/" + unique, "x")
            .symlink("out", outside.toString())
            .file("out/secret", "inside")
            .tar());

    assertThat(root.resolve("etc/" + unique)).hasContent("x");
    assertThat(root.resolve(outside.toString().substring(1) + "/secret")).hasContent("inside");
  }

  @Test
  void writeThroughARelativeSymlinkClimbingOutStaysInsideTheRoot() throws IOException {
    apply(
        new TestLayer()
            .symlink("up", "../../../..")
            .file("up/" + unique, "x")
            .symlink("sib", "../outside")
            .file("sib/secret", "inside")
            .tar());

    assertThat(root.resolve(unique)).hasContent("x");
    assertThat(root.resolve("outside/secret")).hasContent("inside");
  }

  @Test
  void symlinkChainsAreFollowedInsideTheRootOnly() throws IOException {
    apply(
        new TestLayer()
            .symlink("a", "b")
            .symlink("b", "c/../d")
            .dir("c")
            .symlink("d", "../../outside")
            .file("a/secret", "inside")
            .tar());

    assertThat(root.resolve("outside/secret")).hasContent("inside");
  }

  @Test
  void symlinkLoopsAreATypedError() {
    byte[] tar = new TestLayer().symlink("a", "b").symlink("b", "a").file("a/x", "x").tar();

    assertThatThrownBy(() -> apply(tar))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("\"a/x\"")
        .hasMessageContaining("too many levels of symbolic links");
  }

  @Test
  void aFileEntryReplacesASymlinkInsteadOfWritingThroughIt() throws IOException {
    apply(new TestLayer().symlink("f", secret.toString()).file("f", "replaced").tar());

    assertThat(Files.isSymbolicLink(root.resolve("f"))).isFalse();
    assertThat(root.resolve("f")).hasContent("replaced");
  }

  @Test
  void aDirectoryEntryReplacesASymlinkInsteadOfChangingItsTarget() throws IOException {
    apply(
        new TestLayer()
            .symlink("d", outside.toString())
            .dir("d", 0700)
            .file("d/secret", "inside")
            .tar());

    assertThat(root.resolve("d")).isDirectory();
    assertThat(Files.isSymbolicLink(root.resolve("d"))).isFalse();
    assertThat(root.resolve("d/secret")).hasContent("inside");
  }

  @Test
  void hardlinkToAnAbsolutePathOutsideIsResolvedInsideTheRootAndFails() {
    byte[] tar = new TestLayer().hardlink("stolen", secret.toString()).tar();

    assertThatThrownBy(() -> apply(tar))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("\"stolen\"")
        .hasMessageContaining("not found");
  }

  @Test
  void hardlinkToEtcPasswdDoesNotReachTheHost() throws IOException {
    apply(
        new TestLayer()
            .dir("etc")
            .file("etc/passwd", "image's own")
            .hardlink("pw", "/etc/passwd")
            .tar());

    assertThat(Files.getAttribute(root.resolve("pw"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("etc/passwd"), "unix:ino"));
    assertThat(root.resolve("pw")).hasContent("image's own");
  }

  @Test
  void hardlinkThroughASymlinkedDirectoryCannotReachOutside() {
    byte[] tar =
        new TestLayer()
            .symlink("o", outside.toString())
            .symlink("rel", "../outside")
            .hardlink("h1", "o/secret")
            .tar();
    byte[] tar2 = new TestLayer().symlink("rel", "../outside").hardlink("h2", "rel/secret").tar();
    byte[] tar3 = new TestLayer().hardlink("h3", "../outside/secret").tar();

    assertThatThrownBy(() -> apply(tar)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> apply(tar2)).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> apply(tar3)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void hardlinkToASymlinkLinksTheLinkItselfNeverItsTarget() throws IOException {
    apply(
        new TestLayer()
            .symlink("l", secret.toString())
            .hardlink("h", "l")
            .file("h", "replaced")
            .tar());

    assertThat(Files.isSymbolicLink(root.resolve("l"))).isTrue();
    assertThat(root.resolve("h")).hasContent("replaced");
  }

  @Test
  void whiteoutsOfDotDotDotAndNothingAreRejected() {
    byte[] top = new TestLayer().whiteout(".wh...").tar();
    byte[] nested = new TestLayer().dir("d").whiteout("d/.wh...").tar();
    byte[] dot = new TestLayer().dir("d").whiteout("d/.wh..").tar();
    byte[] empty = new TestLayer().dir("d").whiteout("d/.wh.").tar();

    for (byte[] tar : new byte[][] {top, nested, dot, empty}) {
      assertThatThrownBy(() -> apply(tar))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("whiteout of");
    }
    assertThat(root).isDirectory();
  }

  @Test
  void whiteoutsThroughSymlinksCannotRemoveAnythingOutside() throws IOException {
    apply(
        new TestLayer()
            .symlink("o", outside.toString())
            .whiteout("o/.wh.secret")
            .symlink("r", "../outside")
            .whiteout("r/.wh.secret")
            .symlink("up", "../..")
            .whiteout("up/.wh.outside")
            .whiteout("up/.wh..wh..opq")
            .tar());

    assertThat(secret).hasContent("do not touch");
  }

  @Test
  void opaqueMarkerOfTheRootEmptiesOnlyTheRoot() throws IOException {
    apply(new TestLayer().file("lower", "x").tar());

    apply(new TestLayer().whiteout("../../.wh..wh..opq").tar());

    assertThat(root).isEmptyDirectory();
  }

  @Test
  void nulInANameIsRejected() {
    byte[] tar = new TestLayer().file("placeholder", "x").tar();
    byte[] hostile = PaxRecords.prependPax(tar, Map.of("path", "a\u0000/../../" + unique), 0);

    assertThatThrownBy(() -> apply(hostile))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("NUL");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void nulInASymlinkTargetIsRejected() {
    byte[] tar = new TestLayer().symlink("l", "placeholder").tar();
    byte[] hostile = PaxRecords.prependPax(tar, Map.of("linkpath", "/etc\u0000x"), 0);

    assertThatThrownBy(() -> apply(hostile)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void aFileUnderARegularFileIsATypedError() {
    byte[] tar = new TestLayer().file("f", "x").file("f/child", "y").tar();

    assertThatThrownBy(() -> apply(tar))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("is not a directory");
  }

  @Test
  void decompressionBombIsBoundedByMaxUncompressedBytes() {
    byte[] zeros = new byte[8 << 20];
    byte[] bomb =
        TestLayer.gzip(
            new TestLayer().file(TestLayer.entry("zeros", TarConstants.LF_NORMAL), zeros).tar());
    ApplyOptions small = ApplyOptions.builder().maxUncompressedBytes(1 << 20).build();

    assertThat(bomb.length).isLessThan(64 << 10);
    assertThatThrownBy(() -> TarApplier.create(small).apply(new ByteArrayInputStream(bomb), root))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("exceeds the limit of 1048576 bytes");
  }

  @Test
  void entryBombIsBoundedByMaxEntries() {
    TestLayer layer = new TestLayer();
    for (int i = 0; i < 101; i++) {
      layer.dir("d" + i);
    }
    byte[] tar = layer.tar();
    ApplyOptions small = ApplyOptions.builder().maxEntries(100).build();

    assertThatThrownBy(() -> TarApplier.create(small).apply(new ByteArrayInputStream(tar), root))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("more than 100 tar entries");
  }

  @Test
  void hugeMetadataHeadersAreRefusedBeforeTheirBodyIsRead() {
    // A PAX header claiming 4 GiB: Commons Compress would buffer it in memory.
    byte[] header =
        PaxRecords.header("PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC, 4L << 30);
    byte[] longName =
        PaxRecords.header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, 1L << 30);

    for (byte[] h : new byte[][] {header, longName}) {
      InputStream endless =
          new java.io.SequenceInputStream(
              new ByteArrayInputStream(h),
              new InputStream() {
                @Override
                public int read() {
                  return 'a';
                }
              });
      assertThatThrownBy(() -> TarApplier.create(ApplyOptions.defaults()).apply(endless, root))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("exceeds the limit");
    }
  }

  @Test
  void absurdlyLongNamesAreRejected() {
    byte[] tar = new TestLayer().file("a/".repeat(10_000) + "x", "x").tar();

    assertThatThrownBy(() -> apply(tar))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("name longer than 16384 characters");
  }

  @Test
  void unknownEntryTypesAreRejected() {
    byte[] tar = new TestLayer().put(TestLayer.entry("vol", (byte) 'Q'), null).tar();

    assertThatThrownBy(() -> apply(tar))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("unsupported type");
  }

  @Test
  void nonUtf8ContentIsNotAProblem() throws IOException {
    apply(
        new TestLayer()
            .file(TestLayer.entry("bin", TarConstants.LF_NORMAL), new byte[] {(byte) 0xff, 0, 1})
            .tar());

    assertThat(Files.readAllBytes(root.resolve("bin"))).containsExactly(0xff, 0, 1);
    assertThat(new String(Files.readAllBytes(root.resolve("bin")), UTF_8)).isNotEmpty();
  }
}
