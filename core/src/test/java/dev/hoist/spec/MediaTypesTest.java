package dev.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MediaTypesTest {

  /** media type, index, manifest, manifest-or-index, config, layer, schema 1, non-distributable. */
  static Stream<Arguments> classifications() {
    return Stream.of(
        arguments(MediaTypes.OCI_INDEX, true, false, true, false, false, false, false),
        arguments(MediaTypes.DOCKER_MANIFEST_LIST, true, false, true, false, false, false, false),
        arguments(MediaTypes.OCI_MANIFEST, false, true, true, false, false, false, false),
        arguments(MediaTypes.DOCKER_MANIFEST, false, true, true, false, false, false, false),
        arguments(
            MediaTypes.DOCKER_SCHEMA1_MANIFEST, false, false, true, false, false, true, false),
        arguments(
            MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST,
            false,
            false,
            true,
            false,
            false,
            true,
            false),
        arguments(MediaTypes.OCI_CONFIG, false, false, false, true, false, false, false),
        arguments(MediaTypes.DOCKER_CONFIG, false, false, false, true, false, false, false),
        arguments(MediaTypes.OCI_LAYER, false, false, false, false, true, false, false),
        arguments(MediaTypes.OCI_LAYER_GZIP, false, false, false, false, true, false, false),
        arguments(MediaTypes.OCI_LAYER_ZSTD, false, false, false, false, true, false, false),
        arguments(
            MediaTypes.OCI_LAYER_NONDISTRIBUTABLE, false, false, false, false, true, false, true),
        arguments(
            MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP,
            false,
            false,
            false,
            false,
            true,
            false,
            true),
        arguments(
            MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
            false,
            false,
            false,
            false,
            true,
            false,
            true),
        arguments(MediaTypes.DOCKER_LAYER, false, false, false, false, true, false, false),
        arguments(MediaTypes.DOCKER_LAYER_GZIP, false, false, false, false, true, false, false),
        arguments(MediaTypes.DOCKER_LAYER_ZSTD, false, false, false, false, true, false, false),
        arguments(MediaTypes.DOCKER_LAYER_FOREIGN, false, false, false, false, true, false, true),
        arguments(MediaTypes.OCI_EMPTY, false, false, false, false, false, false, false),
        arguments(
            "application/vnd.oci.image.index.v1+json; charset=utf-8",
            true,
            false,
            true,
            false,
            false,
            false,
            false),
        arguments(
            " Application/VND.Docker.Distribution.Manifest.V2+JSON ",
            false,
            true,
            true,
            false,
            false,
            false,
            false),
        arguments(
            "application/vnd.docker.distribution.manifest.v1+prettyjws;x=y",
            false,
            false,
            true,
            false,
            false,
            true,
            false),
        arguments("application/vnd.in-toto+json", false, false, false, false, false, false, false),
        arguments("application/json", false, false, false, false, false, false, false),
        arguments("", false, false, false, false, false, false, false),
        arguments(null, false, false, false, false, false, false, false));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("classifications")
  void classifiesMediaType(
      String mediaType,
      boolean index,
      boolean manifest,
      boolean manifestOrIndex,
      boolean config,
      boolean layer,
      boolean schema1,
      boolean nonDistributable) {
    assertThat(MediaTypes.isIndex(mediaType)).as("isIndex").isEqualTo(index);
    assertThat(MediaTypes.isManifest(mediaType)).as("isManifest").isEqualTo(manifest);
    assertThat(MediaTypes.isManifestOrIndex(mediaType))
        .as("isManifestOrIndex")
        .isEqualTo(manifestOrIndex);
    assertThat(MediaTypes.isConfig(mediaType)).as("isConfig").isEqualTo(config);
    assertThat(MediaTypes.isLayer(mediaType)).as("isLayer").isEqualTo(layer);
    assertThat(MediaTypes.isSchema1(mediaType)).as("isSchema1").isEqualTo(schema1);
    assertThat(MediaTypes.isNonDistributable(mediaType))
        .as("isNonDistributable")
        .isEqualTo(nonDistributable);
  }

  @Test
  void baseDropsParametersAndCase() {
    assertThat(MediaTypes.base("Application/Vnd.OCI.Image.Index.v1+JSON ; charset=utf-8"))
        .isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(MediaTypes.base(MediaTypes.OCI_MANIFEST)).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(MediaTypes.base(null)).isNull();
  }

  @Test
  void constantsHaveTheRegisteredValues() {
    assertThat(MediaTypes.OCI_INDEX).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(MediaTypes.OCI_MANIFEST).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(MediaTypes.OCI_CONFIG).isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(MediaTypes.OCI_LAYER_GZIP).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    assertThat(MediaTypes.DOCKER_MANIFEST_LIST)
        .isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
    assertThat(MediaTypes.DOCKER_MANIFEST)
        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    assertThat(MediaTypes.DOCKER_CONFIG)
        .isEqualTo("application/vnd.docker.container.image.v1+json");
    assertThat(MediaTypes.DOCKER_LAYER_GZIP)
        .isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
    assertThat(MediaTypes.DOCKER_SCHEMA1_SIGNED_MANIFEST)
        .isEqualTo("application/vnd.docker.distribution.manifest.v1+prettyjws");
  }
}
