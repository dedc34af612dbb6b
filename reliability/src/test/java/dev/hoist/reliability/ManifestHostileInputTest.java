package dev.hoist.reliability;

import static dev.hoist.reliability.HostileContent.descriptorJson;
import static dev.hoist.reliability.HostileContent.indexJson;
import static dev.hoist.reliability.HostileContent.manifestJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Dispatch;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile documents from a registry: each fetch ends in a typed exception naming the input, does
 * bounded work, and writes nothing outside the store.
 */
@Timeout(60)
class ManifestHostileInputTest {

  private static final String INDEX = MediaTypes.OCI_INDEX;
  private static final String MANIFEST = MediaTypes.OCI_MANIFEST;

  @TempDir Path dir;

  private TestRegistry registry;
  private LocalContentStore store;
  private Path storeDir;
  private final HostileContent content = new HostileContent();

  @BeforeEach
  void setUp() throws IOException {
    registry = TestRegistry.start();
    storeDir = dir.resolve("store");
    store = LocalContentStore.open(storeDir);
  }

  @AfterEach
  void onlyTheStoreWasWritten() throws IOException {
    registry.close();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.toList()).containsExactly(storeDir);
    }
  }

  private Throwable fetchFails(Descriptor root) {
    content.push(registry, "evil/app:1", root);
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(
            () ->
                Fetches.fetch(
                    store,
                    store,
                    registry.reference("evil/app:1"),
                    Fetches.resolver(new RecordingSleeper()).build()))
        .isInstanceOf(HoistException.class)
        .satisfies(t -> thrown[0] = t);
    return thrown[0];
  }

  private static byte[] padded(String json, int size) {
    // Valid JSON padded with whitespace to the size wanted.
    byte[] b = Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), size);
    Arrays.fill(b, json.length(), size, (byte) ' ');
    return b;
  }

  @Test
  void manifestLargerThanTheLimitWithContentLengthIsRefusedFromItsHeaders() {
    Descriptor big =
        content.manifest(
            MANIFEST,
            padded(
                manifestJson(
                    descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("x").toString(), 1),
                    List.of()),
                5 << 20));

    Throwable t = fetchFails(big);

    assertThat(t)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("manifest limit");
    // Refused from the HEAD reply: not one body byte was downloaded.
    assertThat(registry.requestLog().totalBytesSent()).isZero();
  }

  @Test
  void indexThatContainsItselfCannotBeServedUnderItsOwnDigest() {
    // No document can hold its own digest, so a registry can only lie: the body then fails
    // verification.
    Digest claimed = Digest.sha256("the index's own name");
    Descriptor self =
        content.manifest(
            INDEX,
            claimed,
            indexJson(List.of(descriptorJson(INDEX, claimed.toString(), 300)))
                .getBytes(StandardCharsets.UTF_8));

    Throwable t = fetchFails(self);

    assertThat(t)
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(claimed.toString());
    assertThat(Fetches.has(store, claimed)).isFalse();
  }

  @Test
  void cycleThroughTwoIndexesEndsAtTheLyingOne() {
    Digest bClaimed = Digest.sha256("index b");
    Descriptor a =
        content.manifest(
            INDEX, indexJson(List.of(descriptorJson(INDEX, bClaimed.toString(), 400))));
    content.manifest(
        INDEX,
        bClaimed,
        padded(indexJson(List.of(descriptorJson(INDEX, a.digest().toString(), a.size()))), 400));

    Throwable t = fetchFails(a);

    assertThat(t)
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(bClaimed.toString());
    assertThat(Fetches.has(store, bClaimed)).isFalse();
  }

  @Test
  void nestingDeeperThanTheDispatchLimitIsRefused() {
    // Genuine indexes, each holding the next: hashes are computed bottom-up, so nothing lies.
    Descriptor inner =
        content.manifest(
            MANIFEST,
            manifestJson(
                descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("c").toString(), 1),
                List.of()));
    for (int i = 0; i < Dispatch.MAX_DEPTH + 4; i++) {
      inner =
          content.manifest(
              INDEX,
              indexJson(
                  List.of(
                      descriptorJson(inner.mediaType(), inner.digest().toString(), inner.size()))));
    }

    Throwable t = fetchFails(inner);

    assertThat(t).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("deep");
  }

  @Test
  void indexWithAHundredThousandEntriesIsRefusedByTheManifestLimit() {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      entries.add(descriptorJson(MANIFEST, Digest.sha256("m" + i).toString(), 500));
    }
    Descriptor huge = content.manifest(INDEX, indexJson(entries));
    assertThat(huge.size()).isGreaterThan(4L << 20);

    Throwable t = fetchFails(huge);

    assertThat(t)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("manifest limit");
    assertThat(registry.requestLog().totalBytesSent()).isZero();
  }

  @Test
  void indexWithTwentyThousandEntriesForOtherPlatformsFetchesNoChildren() throws Exception {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      entries.add(
          "{\"mediaType\":\""
              + MANIFEST
              + "\",\"digest\":\""
              + Digest.sha256("m" + i)
              + "\",\"size\":500,\"platform\":{\"os\":\"plan9\",\"architecture\":\"mips\"}}");
    }
    Descriptor wide = content.manifest(INDEX, indexJson(entries));
    content.push(registry, "evil/app:1", wide);

    // None of the entries is for this machine: the fetch fails naming the one platform offered
    // (the message stays short, however many entries there are), and records no image.
    assertThatThrownBy(
            () ->
                Fetches.fetch(
                    store,
                    store,
                    registry.reference("evil/app:1"),
                    Fetches.resolver(new RecordingSleeper()).build()))
        .isInstanceOf(dev.hoist.errors.NotFoundException.class)
        .hasMessageContaining("offers plan9/mips (")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));

    // Bounded handling: the index is stored, none of its 20,000 entries is requested.
    assertThat(store.list()).isEmpty();
    assertThat(Fetches.has(store, wide.digest())).isTrue();
    assertThat(registry.requestLog().entries()).hasSizeLessThanOrEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, -9_223_372_036_854_775_808L})
  void negativeLayerSizeIsRefusedNamingTheManifest(long size) {
    Descriptor m =
        content.manifest(
            MANIFEST,
            manifestJson(
                descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("c").toString(), 1),
                List.of(
                    descriptorJson(MediaTypes.OCI_LAYER, Digest.sha256("l").toString(), size))));

    Throwable t = fetchFails(m);

    assertThat(t).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("size");
  }

  @Test
  void absurdLayerSizeFailsWithoutCommittingAnything() throws Exception {
    byte[] layer = new byte[1000];
    Descriptor real = content.blob(MediaTypes.OCI_LAYER, layer);
    Descriptor config = content.blob(MediaTypes.OCI_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
    Descriptor m =
        content.manifest(
            MANIFEST,
            manifestJson(
                descriptorJson(config.mediaType(), config.digest().toString(), config.size()),
                List.of(
                    descriptorJson(
                        MediaTypes.OCI_LAYER, real.digest().toString(), Long.MAX_VALUE))));

    Throwable t = fetchFails(m);

    assertThat(t).hasMessageContaining(real.digest().toString());
    assertThat(Fetches.has(store, real.digest())).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:../../../../etc/passwd",
        "sha256/../../x",
        "../sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256:abc/def"
      })
  void layerDigestThatIsNotADigestIsRefusedNamingIt(String digest) {
    Descriptor m =
        content.manifest(
            MANIFEST,
            manifestJson(
                descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("c").toString(), 1),
                List.of(descriptorJson(MediaTypes.OCI_LAYER, digest, 10))));

    Throwable t = fetchFails(m);

    assertThat(t).isInstanceOf(InvalidArgumentException.class).hasMessageContaining(digest);
    assertThat(registry.requestLog().matching("GET", "/blobs/")).isEmpty();
  }

  @Test
  void manifestServedAsAnIndexIsRefused() {
    Descriptor m =
        content.manifest(
            INDEX,
            manifestJson(
                descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("c").toString(), 1),
                List.of()));

    Throwable t = fetchFails(m);

    assertThat(t)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(m.digest().toString());
  }

  @Test
  void indexServedAsAManifestIsRefused() {
    Descriptor i =
        content.manifest(
            MANIFEST,
            indexJson(List.of(descriptorJson(MANIFEST, Digest.sha256("m").toString(), 10))));

    Throwable t = fetchFails(i);

    assertThat(t)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(i.digest().toString());
  }

  @Test
  void deeplyNestedJsonBombIsRefusedWithoutAStackOverflow() {
    int depth = 200_000;
    String bomb = "[".repeat(depth) + "]".repeat(depth);
    Descriptor b = content.manifest(MANIFEST, bomb);

    Throwable t = fetchFails(b);

    assertThat(t)
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(b.digest().toString());
  }

  @Test
  void bombInsideAnOtherwiseValidManifestIsRefused() {
    String nested = "[".repeat(10_000) + "]".repeat(10_000);
    Descriptor b =
        content.manifest(
            MANIFEST,
            "{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST
                + "\",\"config\":"
                + descriptorJson(MediaTypes.OCI_CONFIG, Digest.sha256("c").toString(), 1)
                + ",\"layers\":[],\"annotations\":{\"x\":"
                + nested
                + "}}");

    Throwable t = fetchFails(b);

    assertThat(t).isInstanceOf(InvalidArgumentException.class);
  }
}
