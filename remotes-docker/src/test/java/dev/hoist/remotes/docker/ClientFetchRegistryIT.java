package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Client.fetch} through {@link DockerResolver} from Docker's distribution registry into
 * memory.
 */
@Timeout(120)
class ClientFetchRegistryIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  static final TestImages OCI =
      TestImages.builder().platforms("linux/amd64").noIndex().seed("oci").build();
  static final TestImages DOCKER =
      TestImages.builder().docker().platforms("linux/amd64").noIndex().seed("docker").build();
  static final TestImages MULTI =
      TestImages.builder()
          .platforms("linux/amd64", "linux/arm64/v8", "linux/arm/v7")
          .sharedLayer()
          .seed("multi")
          .build();

  static final TestImages BIG =
      TestImages.builder()
          .platforms("linux/amd64")
          .noIndex()
          .layersPerManifest(1)
          .layerSize(300_000)
          .seed("big")
          .build();

  final InMemoryContentStore store = new InMemoryContentStore();
  final Client client = Client.builder().contentStore(store).build();

  @BeforeAll
  static void push() {
    RegistryPusher pusher = RegistryPusher.to(registry);
    pusher.push("it/oci", "1", OCI);
    pusher.push("it/docker", "1", DOCKER);
    pusher.push("it/multi", "1", MULTI);
    pusher.push("it/big", "1", BIG);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  RemoteContext.Builder ctx() {
    return RemoteContext.builder().resolver(DockerResolver.builder().build());
  }

  String ref(String repoAndObject) {
    return registry.hostPort() + "/" + repoAndObject;
  }

  Set<Digest> stored() throws IOException {
    Set<Digest> digests = new HashSet<>();
    store.walk(info -> true, info -> digests.add(info.digest()));
    return digests;
  }

  @Test
  void fetchesASinglePlatformOciImage() throws Exception {
    Image image = client.fetch(ref("it/oci:1"), ctx().platforms("linux/amd64").build());

    assertThat(image.name()).isEqualTo(ref("it/oci:1"));
    assertThat(image.target()).isEqualTo(OCI.root());
    assertThat(stored()).isEqualTo(OCI.blobs().keySet());
  }

  @Test
  void fetchesADockerSchema2Image() throws Exception {
    Image image = client.fetch(ref("it/docker:1"), ctx().platforms("linux/amd64").build());

    assertThat(image.target()).isEqualTo(DOCKER.root());
    assertThat(image.target().mediaType()).isEqualTo(dev.hoist.spec.MediaTypes.DOCKER_MANIFEST);
    assertThat(stored()).isEqualTo(DOCKER.blobs().keySet());
  }

  @Test
  void fetchesOnePlatformOfAMultiPlatformIndex() throws Exception {
    Image image = client.fetch(ref("it/multi:1"), ctx().platforms("linux/arm64/v8").build());

    Set<Digest> expected = new HashSet<>(MULTI.digestsOf("linux/arm64/v8"));
    expected.add(MULTI.root().digest());
    assertThat(image.target()).isEqualTo(MULTI.root());
    assertThat(stored()).isEqualTo(expected);
  }

  @Test
  void fetchesAllPlatformsOfAMultiPlatformIndex() throws Exception {
    client.fetch(ref("it/multi:1"), ctx().platformMatcher(Platforms.all()).build());

    assertThat(stored()).isEqualTo(MULTI.blobs().keySet());
  }

  @Test
  void fetchesByDigestReference() throws Exception {
    String byDigest = ref("it/multi@" + MULTI.root().digest());

    Image image = client.fetch(byDigest, ctx().platforms("linux/amd64").build());

    assertThat(image.target()).isEqualTo(MULTI.root());
    assertThat(stored())
        .contains(MULTI.root().digest())
        .containsAll(MULTI.digestsOf("linux/amd64"));
  }

  @Test
  void missingTagIsNotFoundNamingTheReference() {
    String missing = ref("it/multi:no-such-tag");

    assertThatThrownBy(() -> client.fetch(missing, ctx().build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(missing);
  }

  @Test
  void labelsFetchedBlobsWithTheirDistributionSource() throws Exception {
    client.fetch(ref("it/oci:1"), ctx().platforms("linux/amd64").build());

    String key =
        dev.hoist.remotes.DistributionSourceLabels.key(
            registry.hostPort()); // port dropped, as containerd
    assertThat(store.info(OCI.root().digest()).labels()).containsEntry(key, "it/oci");
  }

  @Test
  void resumesAPartialIngestWithARangeRequest() throws Exception {
    dev.hoist.spec.Descriptor layer = BIG.layers("linux/amd64").get(0);
    byte[] bytes = BIG.blob(layer.digest());
    int half = bytes.length / 2;
    try (dev.hoist.content.ContentWriter w =
        store.writer(dev.hoist.content.IngestRefs.of(layer), layer)) {
      w.write(java.nio.ByteBuffer.wrap(bytes, 0, half));
    } // closed without commit: the ingest stays, resumable
    java.util.Map<Digest, Long> offsets = new java.util.concurrent.ConcurrentHashMap<>();
    dev.hoist.client.ProgressListener progress =
        new dev.hoist.client.ProgressListener() {
          @Override
          public void downloading(dev.hoist.spec.Descriptor desc, long resumeOffset) {
            offsets.put(desc.digest(), resumeOffset);
          }
        };

    client.fetch(ref("it/big:1"), ctx().platforms("linux/amd64").progress(progress).build());

    assertThat(offsets).containsEntry(layer.digest(), (long) half);
    assertThat(dev.hoist.content.Blobs.readAll(store, layer)).isEqualTo(bytes);
  }

  @Test
  void fetchesAllPlatformsInParallelOverHttp11() throws Exception {
    RemoteContext ctx =
        RemoteContext.builder()
            .resolver(
                DockerResolver.builder()
                    .httpVersion(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build())
            .platformMatcher(Platforms.all())
            .maxConcurrentDownloads(4)
            .build();

    client.fetch(ref("it/multi:1"), ctx);

    assertThat(stored()).isEqualTo(MULTI.blobs().keySet());
  }

  @Test
  void defaultContextFindsTheDockerResolverThroughServiceLoader() throws Exception {
    RemoteContext ctx = RemoteContext.builder().platforms("linux/amd64").build();

    Image image = client.fetch(ref("it/oci:1"), ctx);

    // The context carries the provider's default, built on first use; the client uses its own
    // shared one.
    assertThat(ctx.resolver())
        .isInstanceOfSatisfying(
            dev.hoist.client.internal.ProvidedResolver.class,
            r -> assertThat(r.provider()).isInstanceOf(DockerResolverProvider.class));
    assertThat(image.target()).isEqualTo(OCI.root());
  }
}
