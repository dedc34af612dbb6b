package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.commit;
import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.content.ContentStoreContract;
import dev.hoist.testing.content.ContentStoreFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Core's content-store contract, plus what is specific to a store on disk. */
class LocalContentStoreTest implements ContentStoreContract {

  @Override
  public ContentStore newStore(Path root) throws IOException {
    return LocalContentStore.open(root);
  }

  @Test
  void rootIsAnOciLayoutWithContainerdIngestFiles(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = randomBytes(1_000, 11);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("layer-" + desc.digest(), desc)) {
      w.write(ByteBuffer.wrap(data, 0, 400));
    }

    assertThat(Files.readString(root.resolve("oci-layout")))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(Files.readString(root.resolve("index.json"))).contains("\"manifests\":[]");
    Path ingest = root.resolve("ingest").resolve(Digest.sha256("layer-" + desc.digest()).encoded());
    assertThat(Files.readString(ingest.resolve("ref"))).isEqualTo("layer-" + desc.digest());
    assertThat(Files.readString(ingest.resolve("total"))).isEqualTo("1000");
    assertThat(Files.size(ingest.resolve("data"))).isEqualTo(400);
    assertThat(Instant.parse(Files.readString(ingest.resolve("startedat")))).isNotNull();
    assertThat(Instant.parse(Files.readString(ingest.resolve("updatedat")))).isNotNull();
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void committedBlobIsReadOnlyFileUnderBlobsAndIngestIsGone(long threshold, @TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(threshold).build();
    byte[] data = randomBytes(70_000, 12);
    Descriptor desc = commit(store, "ro", data);

    Path blob = root.resolve("blobs/sha256").resolve(desc.digest().encoded());
    assertThat(Files.readAllBytes(blob)).isEqualTo(data);
    assertThat(Files.getPosixFilePermissions(blob).toString()).doesNotContain("WRITE");
    assertThat(Files.getAttribute(blob, "unix:nlink")).isEqualTo(1);
    // Only the refs' lock file, which is made once per store.
    assertThat(listNames(root.resolve("ingest"))).containsExactly("refs.lock");
  }

  @Test
  void openReturnsFileChannel(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor desc = commit(store, "fc", "file channel".getBytes(UTF_8));

    try (SeekableByteChannel ch = store.open(desc)) {
      assertThat(ch).isInstanceOf(FileChannel.class);
      assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(new byte[1])))
          .isInstanceOf(java.nio.channels.NonWritableChannelException.class);
    }
  }

  @Test
  void labelsAndTimesSurviveReopen(@TempDir Path root) throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);
    LocalContentStore first = LocalContentStore.builder(root).clock(clock).build();
    byte[] data = "labels persist".getBytes(UTF_8);
    Descriptor desc = layer(data);
    try (ContentWriter w = first.writer("labels", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("containerd.io/gc.root", "x", "a", "1"));
    }
    first.update(desc.digest(), Map.of("a", "", "b", "2"));

    ContentInfo info = LocalContentStore.open(root).info(desc.digest());

    assertThat(info.labels()).isEqualTo(Map.of("containerd.io/gc.root", "x", "b", "2"));
    assertThat(info.createdAt()).isEqualTo(clock.instant());
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(Files.exists(root.resolve("labels/sha256/" + desc.digest().encoded() + ".json")))
        .isTrue();
  }

  @Test
  void emptyOrGarbledLabelsFileReadsAsUnlabelledAndIsReplacedByTheNextUpdate(@TempDir Path root)
      throws IOException {
    // Labels are not fsynced: an operating-system crash can leave an empty or partial file.
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = randomBytes(2_000, 21);
    Descriptor desc = commit(store, "garbled", data);
    Path labels = root.resolve("labels/sha256/" + desc.digest().encoded() + ".json");
    Files.createDirectories(labels.getParent());

    for (String torn : List.of("", "{\"createdAt\":\"2026-", "[1,2]", "{\"labels\":{\"a\":[]}}")) {
      Files.writeString(labels, torn);
      ContentInfo info = store.info(desc.digest());
      assertThat(info.labels()).as("labels from %s", torn).isEmpty();
      assertThat(info.createdAt())
          .isEqualTo(
              Files.getLastModifiedTime(root.resolve("blobs/sha256/" + desc.digest().encoded()))
                  .toInstant());
    }

    store.update(desc.digest(), Map.of("a", "1"));
    assertThat(LocalContentStore.open(root).info(desc.digest()).labels())
        .isEqualTo(Map.of("a", "1"));
  }

  @Test
  void openIngestsUpdateTimeIsItsDataFilesModificationTime(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(0).build();
    byte[] data = randomBytes(5_000, 23);
    Descriptor desc = layer(data);
    Path ingest = root.resolve("ingest").resolve(Digest.sha256("open").encoded());
    try (ContentWriter w = store.writer("open", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 1_000));
      Files.setLastModifiedTime(
          ingest.resolve("data"),
          java.nio.file.attribute.FileTime.from(Instant.parse("2030-01-02T03:04:05Z")));

      // No updatedat is written at open (one file less per blob); the data file's time serves.
      assertThat(ingest.resolve("updatedat")).doesNotExist();
      assertThat(store.status("open").updatedAt()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
      assertThat(store.status("open").startedAt()).isNotNull();
    }
    assertThat(ingest.resolve("updatedat")).exists(); // written by close, for a later resume
  }

  @Test
  void commitRemovesTheIngestDirectoryEvenWithForeignFilesInIt(@TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(0).build();
    byte[] data = randomBytes(3_000, 29);
    Descriptor desc = layer(data);
    Path ingest = root.resolve("ingest").resolve(Digest.sha256("debris").encoded());
    try (ContentWriter w = store.writer("debris", desc)) {
      writeAll(w, data);
      Files.writeString(ingest.resolve("left-by-another-tool"), "x");
      Files.createDirectories(ingest.resolve("sub/dir"));
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(ingest).doesNotExist();
    assertThat(store.ingests()).isEmpty();
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void ingestStatusSurvivesReopen(@TempDir Path root) throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-05-06T07:08:09Z"), ZoneOffset.UTC);
    byte[] data = randomBytes(9_000, 13);
    Descriptor desc = layer(data);
    try (ContentWriter w =
        LocalContentStore.builder(root).clock(clock).build().writer("st", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 3_000));
    }

    IngestStatus s = LocalContentStore.open(root).status("st");

    assertThat(s)
        .isEqualTo(
            new IngestStatus("st", 3_000, 9_000, desc.digest(), clock.instant(), clock.instant()));
  }

  @Test
  void commitFromSecondStoreInstanceRacingLosesNothing(@TempDir Path root) throws IOException {
    // Two instances on one root stand in for two processes: the commit is a no-replace link.
    LocalContentStore a = LocalContentStore.open(root);
    LocalContentStore b = LocalContentStore.open(root);
    byte[] data = randomBytes(50_000, 14);
    Descriptor desc = layer(data);
    try (ContentWriter wa = a.writer("ra", desc);
        ContentWriter wb = b.writer("rb", desc)) {
      writeAll(wa, data);
      writeAll(wb, data);
      wa.commit(data.length, desc.digest(), Map.of("by", "a"));

      assertThatThrownBy(() -> wb.commit(data.length, desc.digest(), Map.of("by", "b")))
          .isInstanceOf(AlreadyExistsException.class)
          .hasMessageContaining(desc.digest().toString());
    }
    assertThat(readAll(b, desc)).isEqualTo(data);
    assertThat(b.info(desc.digest()).labels()).containsEntry("by", "a");
    assertThat(b.ingests()).isEmpty();
  }

  @Test
  void ingestLeftByCrashAfterPublishIsRemovedByNextWriter(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = randomBytes(2_000, 16);
    Descriptor desc = commit(store, "layer-x", data);
    // What a process killed between the link into blobs/ and the ingest cleanup leaves behind.
    Path debris = root.resolve("ingest").resolve(Digest.sha256("layer-x").encoded());
    Files.createDirectories(debris);
    Files.writeString(debris.resolve("ref"), "layer-x");
    Files.write(debris.resolve("data"), data);

    assertThatThrownBy(() -> store.writer("layer-x", desc))
        .isInstanceOf(AlreadyExistsException.class);

    assertThat(store.ingests()).isEmpty();
    assertThat(debris).doesNotExist();
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void failedCommitLeavesNothingUnderBlobsAndIngestResumable(@TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = randomBytes(4_000, 17);
    Descriptor desc = layer(data);
    Digest claimed = Digest.sha256("not these bytes");
    try (ContentWriter w = store.writer("bad", desc)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length, claimed, Map.of()))
          .isInstanceOf(dev.hoist.errors.DigestMismatchException.class)
          .hasMessageContaining(claimed.toString())
          .hasMessageContaining(desc.digest().toString());
      assertThatThrownBy(() -> w.commit(data.length - 1, desc.digest(), Map.of()))
          .isInstanceOf(FailedPreconditionException.class);
    }

    assertThat(listTree(root.resolve("blobs"))).allMatch(Files::isDirectory);
    try (ContentWriter w = store.writer("bad", desc)) {
      assertThat(w.status().offset()).isEqualTo(data.length);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void sameRefFromTwoStoreInstancesIsExclusive(@TempDir Path root) throws IOException {
    LocalContentStore a = LocalContentStore.open(root);
    LocalContentStore b = LocalContentStore.open(root);
    Descriptor desc = layer("x".getBytes(UTF_8));
    try (ContentWriter w = a.writer("shared", desc)) {
      assertThat(w.isOpen()).isTrue();
      assertThatThrownBy(() -> b.writer("shared", desc)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> b.abort("shared")).isInstanceOf(UnavailableException.class);
    }
    b.abort("shared");
    assertThat(b.ingests()).isEmpty();
  }

  @Test
  void resumeWithDifferentTotalIsRefused(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = randomBytes(2_000, 15);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("total", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 100));
    }
    Descriptor bigger = Descriptor.of(desc.mediaType(), desc.digest(), 5_000);

    assertThatThrownBy(() -> store.writer("total", bigger))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("5000")
        .hasMessageContaining("2000");
    assertThat(store.status("total").offset()).isEqualTo(100);
  }

  @Test
  void removeIngestsOlderThanKeepsRecentAndHeldIngests(@TempDir Path root) throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    LocalContentStore store = LocalContentStore.builder(root).clock(clock).build();
    Descriptor old = layer("old".getBytes(UTF_8));
    Descriptor held = layer("held".getBytes(UTF_8));
    Descriptor recent = layer("recent".getBytes(UTF_8));
    try (ContentWriter w = store.writer("old", old)) {
      w.write(ByteBuffer.wrap("ol".getBytes(UTF_8)));
    }
    try (ContentWriter h = store.writer("held", held)) {
      h.write(ByteBuffer.wrap("he".getBytes(UTF_8)));
      clock.set(Instant.parse("2026-01-03T00:00:00Z"));
      try (ContentWriter w = store.writer("recent", recent)) {
        w.write(ByteBuffer.wrap("re".getBytes(UTF_8)));
      }

      List<String> removed = store.removeIngestsOlderThan(Duration.ofDays(1));

      assertThat(removed).containsExactly("old");
      assertThat(ContentStoreFixtures.refs(store)).containsExactly("held", "recent");
    }
    assertThatThrownBy(() -> store.removeIngestsOlderThan(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void traversalDigestIsRejectedBeforeAnyFileIsTouched(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    List<Path> before = listTree(root);

    for (String bad :
        List.of(
            "sha256:../../../../etc/passwd",
            "sha256/../../x:00",
            "../sha256:" + "a".repeat(64),
            "sha256:" + "a".repeat(63) + "/",
            "sha256:..%2f..%2fetc")) {
      assertThatThrownBy(() -> store.info(Digest.parse(bad)))
          .isInstanceOf(InvalidArgumentException.class)
          .hasMessageContaining("invalid digest");
    }
    assertThatThrownBy(() -> new Digest("sha256", "../../../" + "a".repeat(55)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThat(listTree(root)).isEqualTo(before);
  }

  @Test
  void refWithPathCharactersStaysInsideIngestRoot(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    String ref = "../../escape/" + "x".repeat(300);
    try (ContentWriter w = store.writer(ref, layer("e".getBytes(UTF_8)))) {
      w.write(ByteBuffer.wrap("e".getBytes(UTF_8)));
    }

    assertThat(store.status(ref).offset()).isEqualTo(1);
    assertThat(root.getParent().resolve("escape")).doesNotExist();
    assertThat(listNames(root.resolve("ingest")))
        .containsExactly(Digest.sha256(ref).encoded(), "refs.lock");
    assertThatThrownBy(() -> store.writer("", layer("e".getBytes(UTF_8))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void missingRootIsCreated(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("a/b/store");

    LocalContentStore store = LocalContentStore.open(root);

    assertThat(store.root()).isEqualTo(root.toAbsolutePath());
    assertThat(root.resolve("oci-layout")).isRegularFile();
    assertThat(root.resolve("blobs")).isDirectory();
  }

  // Tests run as root, where permission bits do not stop writes; so an unusable root is made
  // from a regular file (the root itself, or a parent of it) rather than from chmod.
  @Test
  void rootThatIsAFileIsRejectedNamingIt(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> LocalContentStore.open(file))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void rootUnderAFileIsRejectedNamingIt(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    Path root = file.resolve("store");

    assertThatThrownBy(() -> LocalContentStore.open(root))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.toString());
    assertThatThrownBy(() -> LocalContentStore.open((Path) null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void walkSkipsForeignFilesInBlobs(@TempDir Path root) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor desc = commit(store, "w", "walked".getBytes(UTF_8));
    Files.writeString(root.resolve("blobs/sha256/not-a-digest.tmp"), "junk");

    List<Digest> seen = new java.util.ArrayList<>();
    store.walk(i -> true, i -> seen.add(i.digest()));

    assertThat(seen).containsExactly(desc.digest());
  }

  @Test
  void lockWaitOptionRejectsNegative(@TempDir Path root) {
    assertThatThrownBy(() -> LocalContentStore.builder(root).lockWait(Duration.ofMillis(-1)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  /** The names in {@code dir}, sorted. */
  static List<String> listNames(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static List<Path> listTree(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
