package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.IngestRefs;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Someone who can write in a store plants links (and hard links) where Hoist keeps its own files,
 * pointing at a victim outside the store. A fetch through the testkit registry must leave every
 * byte outside the store as it was, create nothing there, and still produce a verified blob.
 */
@Timeout(60)
class PlantedLinkHostileStoreTest {

  private static final byte[] PRECIOUS =
      "precious victim bytes\n".repeat(100).getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private Path storeDir;
  private Path outside;
  private Path victim;
  private Path victimDir;
  private TestRegistry registry;
  private TestImage image;
  private Descriptor layer;
  private String ref;

  @BeforeEach
  void setUp() throws IOException {
    storeDir = dir.resolve("store");
    outside = Files.createDirectory(dir.resolve("outside"));
    victim = Files.write(outside.resolve("victim.txt"), PRECIOUS);
    victimDir = Files.createDirectory(outside.resolve("victim-dir"));
    Files.write(victimDir.resolve("keep.txt"), PRECIOUS);
    registry = TestRegistry.start();
    image = GeneratedImages.random(ImageSpec.builder().layers(1, 300_000).seed(141).build());
    registry.push("team/app:1", image);
    layer = image.layers().get(0);
    ref = registry.reference("team/app:1");
    LocalContentStore.open(storeDir); // the layout exists; the attacker plants into it
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void ingestDataLinkedToAVictimIsNotResumedAppendedToOrTruncated() throws Exception {
    Path ingest = plantIngest();
    Files.createSymbolicLink(ingest.resolve("data"), victim);

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).as("the planted data must not be resumed").isEmpty();
  }

  @Test
  void ingestDataHardLinkedToAVictimIsNotResumed() throws Exception {
    Path ingest = plantIngest();
    Files.createLink(ingest.resolve("data"), victim);

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).isEmpty();
  }

  @Test
  void ingestRefThatIsALinkResetsTheIngest() throws Exception {
    Path ingest = Files.createDirectories(ingestDir());
    Path refText = Files.writeString(outside.resolve("ref.txt"), IngestRefs.of(layer));
    Files.createSymbolicLink(ingest.resolve("ref"), refText);
    Files.write(ingest.resolve("data"), Arrays.copyOf(image.bytes(layer), 1000));

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).as("an ingest with a linked ref starts over").isEmpty();
  }

  @Test
  void bookkeepingFileLinkedToAVictimIsNotWrittenThrough() throws Exception {
    Path ingest = plantIngest();
    Files.write(ingest.resolve("data"), Arrays.copyOf(image.bytes(layer), 1000));
    Files.createSymbolicLink(
        ingest.resolve("expected"), victim); // rewritten on resume before the fix

    fetchSucceedsUntouchingOutside();
  }

  @Test
  void rangesFileLinkedToAVictimResetsTheIngestAndIsNotWrittenThrough() throws Exception {
    Path ingest = plantIngest();
    Files.write(ingest.resolve("data"), Arrays.copyOf(image.bytes(layer), 1000));
    Path claims = Files.writeString(outside.resolve("ranges.txt"), "0 1000\n");
    Files.createSymbolicLink(ingest.resolve("ranges"), claims);

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).as("an ingest with a linked ranges file starts over").isEmpty();
  }

  @Test
  void rangesFileClaimingBytesTheDataFileLacksIsClippedToTheData() throws Exception {
    Path ingest = plantIngest();
    Files.write(ingest.resolve("data"), Arrays.copyOf(image.bytes(layer), 1000));
    Files.writeString(ingest.resolve("ranges"), "0 1000\n5000 " + layer.size() + "\n");

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).containsExactly("bytes=1000-");
  }

  @Test
  void ingestLockLinkedOutsideCreatesNothingThere() throws Exception {
    Path ingest = Files.createDirectories(ingestDir());
    Files.createSymbolicLink(ingest.resolve("lock"), outside.resolve("created-by-lock"));

    fetchSucceedsUntouchingOutside();
  }

  @Test
  void collectionLockLinkedOutsideCreatesNothingThere() throws Exception {
    Files.deleteIfExists(storeDir.resolve("gc.lock"));
    Files.createSymbolicLink(storeDir.resolve("gc.lock"), outside.resolve("created-by-gc-lock"));

    fetchSucceedsUntouchingOutside();
  }

  @Test
  void indexLockLinkedOutsideCreatesNothingThere() throws Exception {
    Files.deleteIfExists(storeDir.resolve("index.json.lock"));
    Files.createSymbolicLink(
        storeDir.resolve("index.json.lock"), outside.resolve("created-by-index-lock"));

    fetchSucceedsUntouchingOutside();
  }

  @Test
  void ingestDirectoryLinkedToAVictimDirectoryIsReplacedNotEntered() throws Exception {
    Files.writeString(victimDir.resolve("ref"), IngestRefs.of(layer));
    Files.write(victimDir.resolve("data"), Arrays.copyOf(image.bytes(layer), 1000));
    Files.createSymbolicLink(ingestDir(), victimDir);

    fetchSucceedsUntouchingOutside();
    assertThat(rangeRequests()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"blobs/sha256", "ingest", "labels/sha256", "blobs"})
  void storeDirectoryLinkedOutsideIsRefusedNamingIt(String name) throws Exception {
    Path planted = storeDir.resolve(name);
    FileOpsForTests.deleteTree(planted);
    Files.createSymbolicLink(planted, victimDir);
    Map<Path, String> before = snapshot(outside);

    assertThatThrownBy(() -> LocalContentStore.open(storeDir))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(planted.toString())
        .hasMessageContaining("symbolic link");
    assertThat(snapshot(outside)).isEqualTo(before);
  }

  /** An ingest directory for the layer's ref with a regular ref file, as a real one has. */
  private Path plantIngest() throws IOException {
    Path ingest = Files.createDirectories(ingestDir());
    Files.writeString(ingest.resolve("ref"), IngestRefs.of(layer));
    return ingest;
  }

  private Path ingestDir() {
    return storeDir.resolve("ingest").resolve(Digest.sha256(IngestRefs.of(layer)).encoded());
  }

  private void fetchSucceedsUntouchingOutside() throws IOException {
    Map<Path, String> before = snapshot(outside);
    LocalContentStore store = LocalContentStore.open(storeDir);

    Fetches.fetch(store, store, ref, Fetches.resolver(new RecordingSleeper()).build());

    assertThat(snapshot(outside)).as("files outside the store").isEqualTo(before);
    assertThat(Files.readAllBytes(victim)).isEqualTo(PRECIOUS);
    try (Stream<Path> top = Files.list(dir)) {
      assertThat(top.sorted().toList()).containsExactly(outside, storeDir);
    }
    for (Descriptor d : Fetches.amd64Blobs(image)) {
      assertThat(Fetches.verifies(store, d)).as("blob %s", d.digest()).isTrue();
    }
    assertThat(StoreChecks.corruptBlobs(store)).isEmpty();
  }

  private java.util.List<String> rangeRequests() {
    return Fetches.gets(registry, layer.digest()).stream()
        .map((LoggedRequest r) -> r.header("Range"))
        .filter(h -> h != null)
        .toList();
  }

  /** Every path below {@code root} (links not followed) with its type and, for files, its bytes. */
  private static Map<Path, String> snapshot(Path root) throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String v;
        if (Files.isSymbolicLink(p)) {
          v = "link -> " + Files.readSymbolicLink(p);
        } else if (Files.isDirectory(p)) {
          v = "dir";
        } else {
          v = "file " + Arrays.hashCode(Files.readAllBytes(p)) + " " + Files.size(p);
        }
        out.put(root.relativize(p), v);
      }
    }
    return out;
  }

  /** Test-side recursive delete that never follows links. */
  private static final class FileOpsForTests {
    static void deleteTree(Path p) throws IOException {
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> s = Files.list(p)) {
          for (Path c : s.toList()) {
            deleteTree(c);
          }
        }
      }
      Files.deleteIfExists(p);
    }
  }
}
