package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestRefs;
import dev.hoist.digest.Digest;
import dev.hoist.images.Dispatch;
import dev.hoist.images.Handlers;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.FetchHandler;
import dev.hoist.remotes.Resolved;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole image graphs fetched into the local store by core's {@code Client.fetch} and handlers. */
@Timeout(60)
class LocalFetchEndToEndTest {

  private static final String REF = "docker.io/library/app:1";
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void clientFetchesMultiPlatformImageIntoLocalStore(@TempDir Path root) throws IOException {
    TestImages image = TestImages.builder().layerSize(200_000).build();
    TestRemote remote = new TestRemote().add(REF, image);
    LocalContentStore store = LocalContentStore.open(root);

    Image fetched;
    try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
      fetched =
          client.fetch(
              "app:1",
              RemoteContext.builder()
                  .resolver(remote)
                  .executor(executor)
                  .platformMatcher(Platforms.all())
                  .maxConcurrentDownloads(4)
                  .build());
    }

    assertThat(fetched.name()).isEqualTo(REF);
    for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
      assertThat(store.exists(blob.getKey())).as("blob %s", blob.getKey()).isTrue();
    }
    Descriptor layer = image.layers(image.platforms().get(0)).get(0);
    assertThat(readAll(store, layer)).isEqualTo(image.blob(layer.digest()));
    assertThat(store.ingests()).isEmpty();
    // The image and the garbage-collection labels of the graph survive a restart.
    LocalContentStore reopened = LocalContentStore.open(root);
    assertThat(reopened.get(REF)).contains(fetched);
    assertThat(reopened.info(image.root().digest()).labels())
        .containsKey("containerd.io/gc.ref.content.m.0");
  }

  @Test
  void handlerChainFetchesIntoLocalStore(@TempDir Path root) throws IOException {
    TestImages image = TestImages.builder().platforms("linux/arm64/v8").build();
    TestRemote remote = new TestRemote().add(REF, image);
    LocalContentStore store = LocalContentStore.open(root);

    Image fetched = fetch(remote, store);

    assertThat(image.blobs().keySet()).allMatch(d -> exists(store, d));
    assertThat(store.get(REF)).contains(fetched);
  }

  private static boolean exists(LocalContentStore store, Digest d) {
    try {
      return store.exists(d);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void resumesPartialIngestLeftByEarlierFetch(@TempDir Path root) throws IOException {
    TestImages image = TestImages.builder().platforms("linux/amd64").layerSize(300_000).build();
    TestRemote remote = new TestRemote().add(REF, image);
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor layer = image.layers("linux/amd64").get(0);
    byte[] bytes = image.blob(layer.digest());
    try (ContentWriter w = store.writer(IngestRefs.of(layer), layer)) {
      w.write(ByteBuffer.wrap(bytes, 0, 120_000)); // what an interrupted fetch leaves
    }

    fetch(remote, store);

    assertThat(readAll(store, layer)).isEqualTo(bytes);
    assertThat(remote.fetchCount(layer.digest())).isEqualTo(1);
    assertThat(store.ingests()).isEmpty();
  }

  private Image fetch(TestRemote remote, LocalContentStore store) throws IOException {
    Resolved resolved = remote.resolve(REF);
    Dispatch.run(
        Handlers.all(
            FetchHandler.of(store, remote.fetcher(resolved.name())), Handlers.children(store)),
        executor,
        4,
        resolved.descriptor());
    return store.put(Image.of(resolved.name(), resolved.descriptor()));
  }
}
