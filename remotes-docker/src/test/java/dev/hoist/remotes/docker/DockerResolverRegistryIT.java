package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The resolver and fetcher against Docker's distribution registry, without the core fetch flow. */
@Timeout(60)
class DockerResolverRegistryIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  static final byte[] CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
          .getBytes(StandardCharsets.UTF_8);
  static final byte[] LAYER =
      "not really a tar, the registry does not care".getBytes(StandardCharsets.UTF_8);
  static byte[] manifest;
  static Digest manifestDigest;

  @BeforeAll
  static void push() {
    RegistryPusher pusher = RegistryPusher.to(registry);
    Digest config = pusher.pushBlob("smoke/app", CONFIG);
    Digest layer = pusher.pushBlob("smoke/app", LAYER);
    manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\","
                + "\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG
                + "\",\"digest\":\""
                + config
                + "\",\"size\":"
                + CONFIG.length
                + "},"
                + "\"layers\":[{\"mediaType\":\""
                + MediaTypes.OCI_LAYER_GZIP
                + "\",\"digest\":\""
                + layer
                + "\",\"size\":"
                + LAYER.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    manifestDigest = pusher.pushManifest("smoke/app", "v1", MediaTypes.OCI_MANIFEST, manifest);
  }

  @Test
  void resolvesTagToManifestDescriptorFromHeaders() throws Exception {
    Resolved r = DockerResolver.builder().build().resolve(registry.hostPort() + "/smoke/app:v1");

    assertThat(r.name()).isEqualTo(registry.hostPort() + "/smoke/app:v1");
    assertThat(r.descriptor())
        .isEqualTo(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length));
  }

  @Test
  void fetchesManifestAndLayerAndResumesLayerWithRange() throws Exception {
    DockerResolver resolver = DockerResolver.builder().build();
    DockerFetcher fetcher = resolver.fetcher(registry.hostPort() + "/smoke/app:v1");
    Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);

    try (InputStream in =
        fetcher.fetch(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length))) {
      assertThat(in.readAllBytes()).isEqualTo(manifest);
    }
    try (InputStream in = fetcher.fetch(layer, 10)) {
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(LAYER, 10, LAYER.length));
    }
  }

  @Test
  void missingTagIsNotFoundNamingTheReference() {
    String ref = registry.hostPort() + "/smoke/app:nope";

    assertThatThrownBy(() -> DockerResolver.builder().build().resolve(ref))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(ref);
  }
}
