package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a whole {@link Client#fetch} costs on the wire, counted with the testkit registry's request
 * log: one resolve plus one request per blob (no redundant {@code HEAD}s or pings), and the chunked
 * path end to end (every chunk a {@code Range} request, every blob verified and committed) even
 * when several large blobs compete for the resolver's chunk buffers.
 */
@Timeout(60)
class FetchRequestsTest {

  final TestRegistry registry = TestRegistry.start();

  @AfterEach
  void stop() {
    registry.close();
  }

  static Client client(InMemoryContentStore store) {
    return Client.builder().contentStore(store).build();
  }

  static void assertStored(InMemoryContentStore store, TestImage image) throws Exception {
    for (Descriptor layer : image.layers()) {
      try (InputStream want = image.blob(layer).open();
          InputStream got = Channels.newInputStream(store.open(layer))) {
        assertThat(got.readAllBytes()).isEqualTo(want.readAllBytes());
      }
    }
  }

  @Test
  void aFetchCostsOneResolveAndOneGetPerBlob() throws Exception {
    TestImage image = GeneratedImages.random(ImageSpec.builder().layers(50, 1024).seed(3).build());
    registry.push("many:1", image);
    InMemoryContentStore store = new InMemoryContentStore();

    client(store)
        .fetch(
            registry.reference("many:1"),
            RemoteContext.builder()
                .resolver(DockerResolver.builder().build())
                .platforms("linux/amd64")
                .build());

    List<LoggedRequest> log = registry.requestLog().entries();
    assertThat(log.stream().filter(r -> r.method().equals("HEAD")).collect(Collectors.toList()))
        .singleElement()
        .satisfies(r -> assertThat(r.path()).endsWith("/manifests/1"));
    List<String> gets =
        log.stream()
            .filter(r -> r.method().equals("GET"))
            .map(LoggedRequest::path)
            .collect(Collectors.toList());
    // manifest + config + 50 layers, each exactly once, and nothing else (no /v2/ ping).
    assertThat(gets).hasSize(52).doesNotHaveDuplicates();
    assertThat(log).hasSize(53);
    assertStored(store, image);
  }

  @Test
  void largeBlobsAreFetchedInRangeChunksAndCommittedVerified() throws Exception {
    int chunk = 64 << 10;
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(3, 10L * chunk + 17).seed(5).build());
    registry.push("big:1", image);
    InMemoryContentStore store = new InMemoryContentStore();
    DockerResolver resolver = DockerResolver.builder().chunkSize(chunk).chunkParallelism(4).build();

    client(store)
        .fetch(
            registry.reference("big:1"),
            RemoteContext.builder()
                .resolver(resolver)
                .platforms("linux/amd64")
                .maxConcurrentDownloads(3)
                .build());

    assertStored(store, image);
    for (Descriptor layer : image.layers()) {
      List<LoggedRequest> gets =
          registry.requestLog().matching("GET", ".*/blobs/" + layer.digest());
      // Either chunked (11 closed ranges: 10 full chunks and a tail) or, when the other layers
      // held the chunk buffers, one stream of the whole blob without a range.
      assertThat(gets.size()).isIn(1, 11);
      if (gets.size() == 11) {
        assertThat(gets).allSatisfy(r -> assertThat(r.header("Range")).matches("bytes=\\d+-\\d+"));
      } else {
        assertThat(gets.get(0).header("Range")).isNull();
      }
    }
    long chunkedLayers =
        image.layers().stream()
            .filter(
                l -> registry.requestLog().matching("GET", ".*/blobs/" + l.digest()).size() == 11)
            .count();
    // The first large blob takes the whole budget of 4 buffers; the others stream meanwhile.
    assertThat(chunkedLayers).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aServerIgnoringRangeStillYieldsVerifiedBlobsFromSingleStreams() throws Exception {
    int chunk = 64 << 10;
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(2, 5L * chunk).seed(8).build());
    registry.push("plain:1", image);
    registry.faults().add("GET", "/v2/.*/blobs/.*", Fault.ignoreRange());
    InMemoryContentStore store = new InMemoryContentStore();
    DockerResolver resolver = DockerResolver.builder().chunkSize(chunk).chunkParallelism(4).build();

    client(store)
        .fetch(
            registry.reference("plain:1"),
            RemoteContext.builder()
                .resolver(resolver)
                .platforms("linux/amd64")
                .maxConcurrentDownloads(1)
                .build());

    assertStored(store, image);
    for (Descriptor layer : image.layers()) {
      assertThat(registry.requestLog().matching("GET", ".*/blobs/" + layer.digest())).hasSize(1);
    }
  }
}
