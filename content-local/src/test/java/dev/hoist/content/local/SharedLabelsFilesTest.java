package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentWriter;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * New blobs with the same labels share one labels file (hard links), and that sharing never lets
 * one blob's labels change another's. Both commit paths: the small-blob file and the ingest
 * directory (threshold 0).
 */
class SharedLabelsFilesTest {

  private static final Map<String, String> SOURCE =
      Map.of("containerd.io/distribution.source.registry.example", "library/app");

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void blobsWithTheSameLabelsShareOneFileAndOthersGetTheirOwn(long threshold, @TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(threshold).build();
    Descriptor a = commit(store, 1, SOURCE);
    Descriptor b = commit(store, 2, SOURCE);
    Descriptor c = commit(store, 3, SOURCE);
    Descriptor other = commit(store, 4, Map.of("k", "v"));

    assertThat(fileKey(root, b)).isEqualTo(fileKey(root, a)).isEqualTo(fileKey(root, c));
    assertThat(Files.getAttribute(labelsFile(root, a), "unix:nlink")).isEqualTo(3);
    assertThat(fileKey(root, other)).isNotEqualTo(fileKey(root, a));
    assertThat(Files.getAttribute(labelsFile(root, other), "unix:nlink")).isEqualTo(1);
    assertThat(Files.readString(labelsFile(root, a)))
        .isEqualTo(
            "{\"labels\":{\"containerd.io/distribution.source.registry.example\":\"library/app\"}}");
    for (Descriptor d : new Descriptor[] {a, b, c}) {
      assertThat(LocalContentStore.open(root).info(d.digest()).labels()).isEqualTo(SOURCE);
    }
    assertThat(LocalContentStore.open(root).info(other.digest()).labels())
        .isEqualTo(Map.of("k", "v"));
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void updatingOneBlobsLabelsLeavesTheBlobsSharingItsFileAlone(long threshold, @TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(threshold).build();
    Descriptor a = commit(store, 1, SOURCE);
    Descriptor b = commit(store, 2, SOURCE);

    store.update(a.digest(), Map.of("extra", "1"));
    Descriptor c = commit(store, 3, SOURCE);

    assertThat(store.info(a.digest()).labels()).containsEntry("extra", "1").hasSize(2);
    assertThat(store.info(b.digest()).labels()).isEqualTo(SOURCE);
    assertThat(store.info(c.digest()).labels()).isEqualTo(SOURCE);
    assertThat(fileKey(root, a)).isNotEqualTo(fileKey(root, b));
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void aSharedFileReplacedOrDeletedBehindTheStoreIsNotLinkedTo(long threshold, @TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(threshold).build();
    Descriptor a = commit(store, 1, SOURCE);
    // Another process changes a's labels (a new file renamed over the name, as every writer does).
    Path tmp = root.resolve("labels/sha256/replacement.tmp");
    Files.writeString(tmp, "{\"labels\":{\"someone\":\"else\"}}");
    Files.move(tmp, labelsFile(root, a), StandardCopyOption.ATOMIC_MOVE);

    Descriptor b = commit(store, 2, SOURCE);

    assertThat(store.info(b.digest()).labels()).isEqualTo(SOURCE);
    assertThat(store.info(a.digest()).labels()).isEqualTo(Map.of("someone", "else"));

    // b's file, which later blobs now share, goes with b.
    store.deleteBlob(b.digest());
    Descriptor c = commit(store, 3, SOURCE);
    Descriptor d = commit(store, 4, SOURCE);
    assertThat(store.info(c.digest()).labels()).isEqualTo(SOURCE);
    assertThat(store.info(d.digest()).labels()).isEqualTo(SOURCE);
    assertThat(fileKey(root, d)).isEqualTo(fileKey(root, c));
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void aNewBlobsTimesAreTheStoreClocksThroughTheBlobFile(long threshold, @TempDir Path root)
      throws IOException {
    Instant at = Instant.parse("2026-03-04T05:06:07.123456789Z");
    LocalContentStore store =
        LocalContentStore.builder(root)
            .smallBlobThreshold(threshold)
            .clock(Clock.fixed(at, ZoneOffset.UTC))
            .build();
    Descriptor a = commit(store, 1, SOURCE);
    Descriptor unlabelled = commit(store, 2, Map.of());

    for (Descriptor d : new Descriptor[] {a, unlabelled}) {
      ContentInfo info = LocalContentStore.open(root).info(d.digest());
      assertThat(info.createdAt()).isEqualTo(at);
      assertThat(info.updatedAt()).isEqualTo(at);
      assertThat(Files.getLastModifiedTime(blobFile(root, d))).isEqualTo(FileTime.from(at));
    }
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void withTheSystemClockANewBlobsTimesAreWhenItWasWritten(long threshold, @TempDir Path root)
      throws IOException {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(threshold).build();
    // File times may be coarser than the clock (and lag it by a tick): one second either side.
    Instant before = Instant.now().minusSeconds(1);
    Descriptor a = commit(store, 1, SOURCE);
    Instant after = Instant.now().plusSeconds(1);

    ContentInfo info = store.info(a.digest());

    assertThat(info.createdAt()).isBetween(before, after);
    assertThat(info.updatedAt()).isEqualTo(info.createdAt());
    assertThat(info.createdAt())
        .isEqualTo(Files.getLastModifiedTime(blobFile(root, a)).toInstant());
  }

  private static Descriptor commit(LocalContentStore store, long seed, Map<String, String> labels)
      throws IOException {
    byte[] data = randomBytes(3_000, seed);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("ref-" + seed, desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), labels);
    }
    return desc;
  }

  private static Path labelsFile(Path root, Descriptor d) {
    return root.resolve("labels/sha256/" + d.digest().encoded() + ".json");
  }

  private static Path blobFile(Path root, Descriptor d) {
    return root.resolve("blobs/sha256/" + d.digest().encoded());
  }

  private static Object fileKey(Path root, Descriptor d) throws IOException {
    return Files.readAttributes(labelsFile(root, d), BasicFileAttributes.class).fileKey();
  }
}
