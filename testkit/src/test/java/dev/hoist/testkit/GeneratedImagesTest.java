package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GeneratedImagesTest {

  @Test
  void singlePlatformImageIsAManifestWithConsistentDescriptors() throws IOException {
    TestImage image = GeneratedImages.random(ImageSpec.builder().layers(3, 5000).build());

    Manifest m = OciJson.readManifest(image.bytes(image.root()), "test");

    assertThat(image.index()).isNull();
    assertThat(image.root().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(image.root().platform()).isNull();
    assertThat(m.config()).isEqualTo(image.configs().get(0));
    assertThat(m.layers()).isEqualTo(image.layers()).hasSize(3);
    assertThat(m.layers())
        .allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER));
    for (Descriptor d : image.layers()) {
      assertThat(d.size()).isEqualTo(5000);
      assertThat(Digest.sha256(image.bytes(d))).isEqualTo(d.digest());
    }
    assertThat(image.blobs()).hasSize(5);
  }

  @Test
  void multiPlatformImageHasAnIndexWithPlatformsAndMatchingConfigs() throws IOException {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder().platforms("linux/amd64", "linux/arm64/v8").layers(1, 10).build());

    Index index = OciJson.readIndex(image.bytes(image.root()), "test");
    ImageConfig arm = OciJson.readConfig(image.bytes(image.configs().get(1)), "test");

    assertThat(image.root()).isEqualTo(image.index());
    assertThat(image.root().mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).isEqualTo(image.manifests());
    assertThat(index.manifests().get(1).platform()).isEqualTo(Platform.of("linux", "arm64", "v8"));
    assertThat(arm.platform()).isEqualTo(Platform.of("linux", "arm64", "v8"));
    assertThat(arm.rootfs().diffIds()).containsExactly(image.layers().get(1).digest().toString());
    assertThat(image.layers().get(0)).isNotEqualTo(image.layers().get(1));
  }

  @Test
  void dockerMediaTypesThroughout() throws IOException {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder().platforms("linux/amd64").forceIndex().docker().build());

    assertThat(image.root().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(OciJson.mediaTypeOf(image.bytes(image.root()), "test"))
        .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(image.manifests().get(0).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    assertThat(image.configs().get(0).mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
    assertThat(image.layers().get(0).mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER);
  }

  @Test
  void tarGzLayersAreRealArchivesWhoseDiffIdsMatch() throws IOException {
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(2, 3000).tarGzLayers().build());
    ImageConfig config = OciJson.readConfig(image.bytes(image.configs().get(0)), "test");

    for (int i = 0; i < 2; i++) {
      Descriptor layer = image.layers().get(i);
      byte[] gz = image.bytes(layer);
      byte[] tar;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        tar = in.readAllBytes();
      }

      assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
      assertThat(Digest.sha256(gz)).isEqualTo(layer.digest());
      assertThat(config.rootfs().diffIds().get(i)).isEqualTo(Digest.sha256(tar).toString());
      assertThat(tar.length % 512).isZero();
      assertThat(new String(tar, 0, 100, StandardCharsets.UTF_8))
          .startsWith("layer" + i + "/data.bin");
      assertThat(new String(tar, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
      assertThat(Long.parseLong(new String(tar, 124, 11, StandardCharsets.US_ASCII), 8))
          .isEqualTo(3000);
      assertThat(headerChecksumValid(tar)).isTrue();
    }
  }

  @Test
  void sameSpecGivesSameDigestsAndAnotherSeedDiffers() {
    ImageSpec spec =
        ImageSpec.builder().platforms("linux/amd64", "linux/arm64").layers(2, 100).seed(7).build();

    TestImage a = GeneratedImages.random(spec);
    TestImage b = GeneratedImages.random(spec);
    TestImage c =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64")
                .layers(2, 100)
                .seed(8)
                .build());

    assertThat(a.root()).isEqualTo(b.root());
    assertThat(c.root().digest()).isNotEqualTo(a.root().digest());
  }

  @Test
  void randomBlobReadsFromAnyOffsetAsTheWholeStreamDoes() throws IOException {
    Blob blob = Blob.random(100_003, 42);
    byte[] all = blob.bytes();

    for (long offset : new long[] {0, 1, 7, 8, 9, 65_536, 100_002, 100_003}) {
      try (InputStream in = blob.open(offset)) {
        assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(all, (int) offset, all.length));
      }
    }
    assertThat(Digest.sha256(all)).isEqualTo(blob.digest());
    assertThat(Blob.random(100_003, 43).digest()).isNotEqualTo(blob.digest());
  }

  @Test
  void largeRandomBlobIsGeneratedNotStored() throws IOException {
    long size =
        512L << 20; // larger than this test JVM's heap allowance for a copy would be comfortable
    // with
    Blob blob = Blob.random(size, 1);
    Digester d = Digester.sha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = blob.open()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
      }
    }

    assertThat(d.count()).isEqualTo(size);
    assertThat(d.digest()).isEqualTo(blob.digest());
    assertThatThrownBy(blob::bytes)
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("stream it");
  }

  @Test
  void specRefusesBadInput() {
    assertThatThrownBy(() -> ImageSpec.builder().platforms("linux").build())
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("\"linux\"");
    assertThatThrownBy(() -> ImageSpec.builder().layers(-1, 10).build())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> ImageSpec.builder().layers(1, -10).build())
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(
            () ->
                GeneratedImages.random()
                    .blob(Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256("x"), 1)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  private static boolean headerChecksumValid(byte[] tar) {
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xff;
    }
    return Long.parseLong(new String(tar, 148, 6, StandardCharsets.US_ASCII), 8) == sum;
  }

  @Test
  void rebuildingALargeImageReusesDigestsAndBytesStayEqual() throws IOException {
    ImageSpec spec = ImageSpec.builder().layers(1, 2 << 20).tarGzLayers().seed(99).build();

    TestImage first = GeneratedImages.random(spec);
    TestImage second = GeneratedImages.random(spec);

    Descriptor layer = second.layers().get(0);
    assertThat(second.root()).isEqualTo(first.root());
    assertThat(Digest.sha256(second.bytes(layer))).isEqualTo(layer.digest());
    assertThat(Blob.random(3 << 20, 5).digest())
        .isEqualTo(Digest.sha256(Blob.random(3 << 20, 5).bytes()));
  }
}
