package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.NotFoundException;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link Images#check} (containerd's images.Check) and reading partial images. */
class ImagesCheckTest {

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final TestImages image = TestImages.builder().build();

  private void commitOnly(String platform) throws IOException {
    TestImages.commit(store, image.root(), image.blob(image.root().digest()));
    for (var d : image.digestsOf(platform)) {
      TestImages.commit(store, TestImages.descriptor("x", image.blob(d)), image.blob(d));
    }
  }

  @Test
  void completeWhenThePlatformsConfigAndLayersAreAllThere() throws IOException {
    commitOnly("linux/arm64/v8");

    ImageCheck c =
        Images.check(store, image.root(), Platforms.only(Platforms.parse("linux/arm64/v8")));

    assertThat(c.complete()).isTrue();
    assertThat(c.required()).hasSize(3);
    assertThat(c.presentSize()).isEqualTo(c.requiredSize()).isPositive();
  }

  @Test
  void incompleteNamesTheMissingLayer() throws IOException {
    commitOnly("linux/arm64/v8");
    Descriptor layer = image.layers("linux/arm64/v8").get(1);
    store.deleteBlob(layer.digest());

    ImageCheck c =
        Images.check(store, image.root(), Platforms.only(Platforms.parse("linux/arm64/v8")));

    assertThat(c.available()).isTrue();
    assertThat(c.complete()).isFalse();
    assertThat(c.missing()).containsExactly(layer);
    assertThat(c.present()).hasSize(2);
  }

  @Test
  void unavailableWhenThePlatformsManifestWasNotFetched() throws IOException {
    commitOnly("linux/arm64/v8");

    ImageCheck c =
        Images.check(store, image.root(), Platforms.only(Platforms.parse("linux/amd64")));

    assertThat(c.available()).isFalse();
    assertThat(c.missing()).containsExactly(image.root());
  }

  @Test
  void platformsOfAPartialImageComeFromTheIndexWithoutReadingMissingManifests() throws IOException {
    TestImages bare = TestImages.builder().withoutIndexPlatforms().seed("bare").build();
    TestImages.commit(store, bare.root(), bare.blob(bare.root().digest()));
    for (var d : bare.digestsOf("linux/arm/v7")) {
      TestImages.commit(store, TestImages.descriptor("x", bare.blob(d)), bare.blob(d));
    }

    assertThat(Images.platforms(store, bare.root()))
        .containsExactly(Platforms.normalize(Platforms.parse("linux/arm/v7")));
  }

  @Test
  void platformsOfAnImageWhoseRootIsMissingIsNotFound() {
    assertThatThrownBy(() -> Images.platforms(store, image.root()))
        .isInstanceOf(NotFoundException.class);
  }
}
