package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Platform;
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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FetchImageTest {

  private static TestRegistry registry;
  private static TestImage image;
  private static Platform other;

  @TempDir Path store;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void startRegistry() {
    Platform here = Platforms.defaultPlatform();
    other = Platforms.parse(here.architecture().equals("s390x") ? "linux/ppc64le" : "linux/s390x");
    image =
        GeneratedImages.random(
            ImageSpec.builder().platforms(List.of(other, here)).layers(2, 1500).seed(11).build());
    registry = TestRegistry.start();
    registry.push("team/app:1.0", image);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The index plus manifest, config and layers of platform {@code i}. */
  private static Set<Digest> blobsOf(int i) {
    Set<Digest> d = new HashSet<>();
    d.add(image.root().digest());
    d.add(image.manifests().get(i).digest());
    d.add(image.configs().get(i).digest());
    image.layers().subList(2 * i, 2 * i + 2).forEach(l -> d.add(l.digest()));
    return d;
  }

  private static Set<Digest> committed(Path root) throws IOException {
    Set<Digest> d = new HashSet<>();
    LocalContentStore.open(root).walk(info -> true, info -> d.add(info.digest()));
    return d;
  }

  @Test
  void fetchesTheGivenPlatformAndPrintsNameDigestAndBlobCount() throws IOException {
    Image fetched =
        FetchImage.run(registry.reference("team/app:1.0"), store, Platforms.format(other), out);

    assertThat(fetched.target().digest()).isEqualTo(image.root().digest());
    assertThat(printed())
        .contains("image:  " + registry.reference("team/app:1.0"))
        .contains("digest: " + image.root().digest())
        .contains("blobs:  5 (5 downloaded, 0 already in " + store + ")");
    assertThat(committed(store)).isEqualTo(blobsOf(0));
    assertThat(LocalContentStore.open(store).get(fetched.name())).contains(fetched);
  }

  @Test
  void withoutAPlatformFetchesThisMachinesPlatform() throws IOException {
    FetchImage.run(registry.reference("team/app:1.0"), store, null, out);

    assertThat(committed(store)).isEqualTo(blobsOf(1));
  }

  @Test
  void secondFetchCountsEveryBlobAsAlreadyPresent() throws IOException {
    FetchImage.run(registry.reference("team/app:1.0"), store, Platforms.format(other), out);
    bytes.reset();

    FetchImage.run(registry.reference("team/app:1.0"), store, Platforms.format(other), out);

    assertThat(printed()).contains("blobs:  5 (0 downloaded, 5 already in ");
  }

  @Test
  void unknownTagIsNotFound() {
    assertThatThrownBy(() -> FetchImage.run(registry.reference("team/app:2.0"), store, null, out))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("team/app:2.0");
    assertThat(printed()).isEmpty();
  }

  @Test
  void malformedReferenceIsAnInvalidArgument() {
    assertThatThrownBy(() -> FetchImage.run("Team/App::1.0", store, null, out))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Team/App::1.0");
  }

  @Test
  void malformedPlatformIsAnInvalidArgument() {
    assertThatThrownBy(
            () -> FetchImage.run(registry.reference("team/app:1.0"), store, "linux//", out))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("linux//");
  }
}
