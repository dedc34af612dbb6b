package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.NotFoundException;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImagesTest {

  private static final Platform AMD64 = Platform.of("linux", "amd64");
  private static final Platform ARM64 = Platform.of("linux", "arm64", "v8");
  private static final Platform ARMV7 = Platform.of("linux", "arm", "v7");

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final TestImages image = TestImages.builder().build();

  private Manifest read(Descriptor manifest) {
    return OciJson.readManifest(image.blob(manifest.digest()), "test");
  }

  @Test
  void manifestPicksTheMostPreferredMatchingPlatform() throws IOException {
    image.commitAll(store);

    Manifest m = Images.manifest(store, image.root(), TestMatchers.ordered(ARMV7, ARM64));

    assertThat(m).isEqualTo(read(image.manifest("linux/arm/v7")));
    assertThat(
            Images.manifest(store, Image.of("x", image.root()), TestMatchers.ordered(ARM64, ARMV7)))
        .isEqualTo(read(image.manifest("linux/arm64/v8")));
  }

  @Test
  void manifestWithNoMatchIsNotFoundNamingTheIndex() throws IOException {
    image.commitAll(store);

    assertThatThrownBy(
            () ->
                Images.manifest(
                    store, image.root(), TestMatchers.ordered(Platform.of("linux", "s390x"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(image.root().digest().toString());
  }

  @Test
  void manifestReadsTheConfigWhenTheIndexNamesNoPlatform() throws IOException {
    TestImages bare = TestImages.builder().withoutIndexPlatforms().build().commitAll(store);

    Manifest m = Images.manifest(store, bare.root(), TestMatchers.ordered(ARM64));

    assertThat(m.config()).isEqualTo(bare.config("linux/arm64/v8"));
  }

  @Test
  void rootManifestIsReturnedWhateverItsPlatform() throws IOException {
    TestImages single =
        TestImages.builder().platforms("linux/amd64").noIndex().build().commitAll(store);

    assertThat(Images.manifest(store, single.root(), TestMatchers.ordered(ARM64)).config())
        .isEqualTo(single.config("linux/amd64"));
  }

  @Test
  void platformsListsTheIndexEntriesOrTheConfigsPlatform() throws IOException {
    image.commitAll(store);
    TestImages single =
        TestImages.builder().platforms("linux/arm/v7").noIndex().seed("s").build().commitAll(store);

    assertThat(Images.platforms(store, image.root())).containsExactly(AMD64, ARM64, ARMV7);
    assertThat(Images.platforms(store, single.root())).containsExactly(ARMV7);
  }

  @Test
  void platformsLeavesOutUnknownEntries() throws IOException {
    image.commitAll(store);
    Descriptor attestation =
        image.manifest("linux/amd64").withPlatform(Platform.of("unknown", "unknown"));
    byte[] json =
        OciJson.write(
            new Index(
                2,
                MediaTypes.OCI_INDEX,
                null,
                List.of(image.manifest("linux/amd64"), attestation),
                null,
                Map.of()));
    Descriptor index =
        TestImages.commit(store, TestImages.descriptor(MediaTypes.OCI_INDEX, json), json);

    assertThat(Images.platforms(store, index)).containsExactly(AMD64);
  }

  @Test
  void sizeCountsTheIndexAndTheBestManifestsBlobsOnce() throws IOException {
    TestImages shared = TestImages.builder().sharedLayer().seed("size").build().commitAll(store);
    long expected =
        shared.root().size()
            + shared.manifest("linux/amd64").size()
            + shared.config("linux/amd64").size();
    for (Descriptor layer : shared.layers("linux/amd64")) {
      expected += layer.size();
    }

    assertThat(Images.size(store, shared.root(), Platforms.only(Platforms.parse("linux/amd64"))))
        .isEqualTo(expected);
  }

  @Test
  void sizeNeedsOnlyTheMetadataInTheStore() throws IOException {
    TestImages.commit(store, image.root(), image.blob(image.root().digest()));
    Descriptor m = image.manifest("linux/arm64/v8");
    TestImages.commit(store, m, image.blob(m.digest()));

    assertThat(Images.size(store, image.root(), p -> p.equals(ARM64))).isPositive();
  }

  @Test
  void missingContentIsNotFound() {
    assertThatThrownBy(() -> Images.manifest(store, image.root(), p -> true))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> Images.platforms(store, image.root()))
        .isInstanceOf(NotFoundException.class);
  }
}
