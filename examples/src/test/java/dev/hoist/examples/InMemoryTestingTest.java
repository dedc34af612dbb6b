package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.examples.InMemoryTesting.LayerCounter;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's unit test of their own pulling code ({@link LayerCounter}), as the {@link
 * InMemoryTesting} example describes: a {@link TestRegistry} on loopback serves generated images,
 * an {@link InMemoryContentStore} replaces the disk. The last test runs the example's main.
 */
@Timeout(60)
class InMemoryTestingTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final LayerCounter counter = new LayerCounter(store);

  private static TestImage push(String repoAndTag, ImageSpec spec) {
    TestImage image = GeneratedImages.random(spec);
    REGISTRY.registry().push(repoAndTag, image);
    return image;
  }

  private static String ref(String repoAndTag) {
    return REGISTRY.registry().reference(repoAndTag);
  }

  @Test
  void countsTheLayersOfTheChosenPlatform() throws IOException {
    TestImage image =
        push(
            "team/app:1.0",
            ImageSpec.builder().platforms("linux/amd64", "linux/arm64/v8").layers(4, 512).build());

    int layers = counter.countLayers(ref("team/app:1.0"), "linux/arm64");

    assertThat(layers).isEqualTo(4);
    // Only arm64's layers (the second four) were downloaded.
    List<Descriptor> amd64 = image.layers().subList(0, 4);
    List<Descriptor> arm64 = image.layers().subList(4, 8);
    for (Descriptor l : arm64) {
      assertThat(store.exists(l.digest())).as("arm64 layer %s", l.digest()).isTrue();
    }
    for (Descriptor l : amd64) {
      assertThat(store.exists(l.digest())).as("amd64 layer %s", l.digest()).isFalse();
    }
  }

  @Test
  void imageWithoutLayersHasNone() {
    push("team/empty:1.0", ImageSpec.builder().layers(0, 0).build());

    assertThat(counter.countLayers(ref("team/empty:1.0"), "linux/amd64")).isZero();
  }

  @Test
  void countingAgainDownloadsNoBlobTwice() {
    push("team/app:2.0", ImageSpec.builder().layers(3, 2048).seed(2).build());
    counter.countLayers(ref("team/app:2.0"), "linux/amd64");
    REGISTRY.registry().requestLog().clear();

    assertThat(counter.countLayers(ref("team/app:2.0"), "linux/amd64")).isEqualTo(3);
    assertThat(REGISTRY.registry().requestLog().matching("GET", "/blobs/")).isEmpty();
  }

  @Test
  void unknownTagIsNotFound() {
    assertThatThrownBy(() -> counter.countLayers(ref("team/nothing:1.0"), "linux/amd64"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void platformTheImageLacksIsNotFound() {
    push(
        "team/app:3.0",
        ImageSpec.builder().platforms("linux/amd64", "linux/arm64/v8").seed(3).build());

    assertThatThrownBy(() -> counter.countLayers(ref("team/app:3.0"), "windows/amd64"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void corruptedLayerFailsTheCountAndIsNotStored() throws IOException {
    TestImage image = push("team/app:4.0", ImageSpec.builder().layers(1, 4096).seed(4).build());
    Descriptor layer = image.layers().get(0);
    REGISTRY
        .registry()
        .faults()
        .add(
            FaultRule.on("GET", "/blobs/" + layer.digest())
                .always()
                .inject(Fault.corruptByte(100)));

    assertThatThrownBy(() -> counter.countLayers(ref("team/app:4.0"), "linux/amd64"))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(store.exists(layer.digest())).isFalse();
  }

  @Test
  void exampleMainPrintsTheLayerCountOfAGeneratedImage() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    int layers = InMemoryTesting.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    assertThat(layers).isEqualTo(3);
    // 1 index + the arm64 manifest, config and 3 layers
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("/demo/app:1.0: 3 layers for linux/arm64/v8; 6 blobs in the in-memory store");
  }
}
