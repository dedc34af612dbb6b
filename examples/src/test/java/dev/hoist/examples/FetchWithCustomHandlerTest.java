package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.testkit.Blob;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FetchWithCustomHandlerTest {

  private static final long SMALL = 1_000;
  private static final long BIG = 5_000;

  private static TestRegistry registry;
  private static TestImage image;
  private static Descriptor small;
  private static Descriptor big;

  @TempDir Path store;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void startRegistry() {
    image = mixedLayerSizes();
    small = image.layers().get(0);
    big = image.layers().get(1);
    registry = TestRegistry.start();
    registry.push("team/app:1.0", image);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void clearLog() {
    registry.requestLog().clear();
  }

  /** A single manifest with a small and a big layer (the testkit makes layers of one size). */
  private static TestImage mixedLayerSizes() {
    TestImage base = GeneratedImages.random(ImageSpec.builder().layers(0, 0).seed(5).build());
    Blob smallBlob = Blob.random(SMALL, 1);
    Blob bigBlob = Blob.random(BIG, 2);
    Descriptor smallLayer = Descriptor.of(MediaTypes.OCI_LAYER, smallBlob.digest(), SMALL);
    Descriptor bigLayer = Descriptor.of(MediaTypes.OCI_LAYER, bigBlob.digest(), BIG);
    Descriptor config = base.configs().get(0);
    byte[] json =
        OciJson.write(
            new Manifest(
                2,
                MediaTypes.OCI_MANIFEST,
                null,
                config,
                List.of(smallLayer, bigLayer),
                null,
                null));
    Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(json), json.length);
    Map<Digest, Blob> blobs =
        Map.of(
            manifest.digest(),
            Blob.of(json),
            config.digest(),
            base.blob(config),
            smallLayer.digest(),
            smallBlob,
            bigLayer.digest(),
            bigBlob);
    return new TestImage(
        manifest, null, List.of(manifest), List.of(config), List.of(smallLayer, bigLayer), blobs);
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static Set<Digest> committed(Path root) throws IOException {
    Set<Digest> d = new HashSet<>();
    LocalContentStore.open(root).walk(info -> true, info -> d.add(info.digest()));
    return d;
  }

  @Test
  void skipsOnlyTheLayerOverTheBudget() throws IOException {
    Image fetched =
        FetchWithCustomHandler.run(registry.reference("team/app:1.0"), store, 2_000, null, out);

    assertThat(fetched.target().digest()).isEqualTo(image.root().digest());
    assertThat(committed(store))
        .containsExactlyInAnyOrder(
            image.root().digest(), image.configs().get(0).digest(), small.digest());
    assertThat(printed())
        .contains("fetch layer " + small.digest() + " 1000 bytes")
        .contains("skip  layer " + big.digest() + " 5000 bytes (over 2000)")
        .contains(": 1 layers fetched, 1 skipped (5000 bytes)");
  }

  @Test
  void budgetOfTheBiggestLayerFetchesEverything() throws IOException {
    FetchWithCustomHandler.run(registry.reference("team/app:1.0"), store, BIG, null, out);

    assertThat(committed(store)).isEqualTo(image.blobs().keySet());
    assertThat(printed())
        .doesNotContain("skip  layer")
        .contains(": 2 layers fetched, 0 skipped (0 bytes)");
  }

  @Test
  void zeroBudgetFetchesOnlyManifestAndConfig() throws IOException {
    FetchWithCustomHandler.run(registry.reference("team/app:1.0"), store, 0, null, out);

    assertThat(committed(store))
        .containsExactlyInAnyOrder(image.root().digest(), image.configs().get(0).digest());
    assertThat(registry.requestLog().matching("GET", "/blobs/" + small.digest())).isEmpty();
    assertThat(registry.requestLog().matching("GET", "/blobs/" + big.digest())).isEmpty();
  }

  @Test
  void wrapperTimesEveryDescriptorIncludingSkippedOnes() throws IOException {
    FetchWithCustomHandler.run(registry.reference("team/app:1.0"), store, 2_000, null, out);

    List<String> timings = printed().lines().filter(l -> l.matches("  \\d+ ms .*")).toList();
    assertThat(timings)
        .hasSize(4)
        .anyMatch(l -> l.endsWith(MediaTypes.OCI_MANIFEST + " " + image.root().digest()))
        .anyMatch(l -> l.endsWith(MediaTypes.OCI_CONFIG + " " + image.configs().get(0).digest()))
        .anyMatch(l -> l.endsWith(small.digest().toString()))
        .anyMatch(l -> l.endsWith(big.digest().toString()));
  }

  @Test
  void negativeBudgetIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                FetchWithCustomHandler.run(
                    registry.reference("team/app:1.0"), store, -1, null, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThat(registry.requestLog().entries()).isEmpty();
  }
}
