package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ForwardingContentStore;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How often a fetch reads and writes labels: a new blob gets its distribution source with its
 * commit, so layers and configs are never updated afterwards nor their labels read back; only blobs
 * that existed get the label appended.
 */
@Timeout(30)
class ClientLabelWritesTest {

  private static final String REF = "docker.io/library/app:1";
  private static final String MIRROR = "docker.io/aaa/mirror:1";
  private static final String SOURCE = "containerd.io/distribution.source.docker.io";

  private final TestImages image = TestImages.builder().build();
  private final TestRemote remote = new TestRemote().add(REF, image).add(MIRROR, image);
  private final CountingStore store = new CountingStore(new InMemoryContentStore());
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final Client client =
      Client.builder().contentStore(store).imageStore(new InMemoryImageStore()).build();

  @AfterEach
  void close() {
    client.close();
    pool.shutdownNow();
  }

  private RemoteContext ctx() {
    return RemoteContext.builder().resolver(remote).executor(pool).platforms("linux/amd64").build();
  }

  @Test
  void newLayersAndConfigAreLabelledAtCommitWithoutAnUpdate() throws IOException {
    client.fetch(REF, ctx());

    for (Descriptor leaf : leaves()) {
      assertThat(store.updates(leaf.digest())).as("updates of %s", leaf.digest()).isZero();
      assertThat(store.infos(leaf.digest())).as("label reads of %s", leaf.digest()).isZero();
      assertThat(store.info(leaf.digest()).labels()).containsEntry(SOURCE, "library/app");
    }
    // Manifests get their children's GC labels in an update; the source label needs no other.
    assertThat(store.updates(image.manifest("linux/amd64").digest())).isEqualTo(1);
    assertThat(store.info(image.manifest("linux/amd64").digest()).labels())
        .containsEntry(SOURCE, "library/app");
  }

  @Test
  void blobsThatExistedGetTheSecondRepositoryAppended() throws IOException {
    client.fetch(REF, ctx());

    client.fetch(MIRROR, ctx());

    for (Descriptor leaf : leaves()) {
      assertThat(store.updates(leaf.digest())).isEqualTo(1);
      assertThat(store.infos(leaf.digest())).as("label reads of %s", leaf.digest()).isEqualTo(1);
      assertThat(store.info(leaf.digest()).labels())
          .containsEntry(SOURCE, "aaa/mirror,library/app");
    }
  }

  private List<Descriptor> leaves() {
    List<Descriptor> out = new java.util.ArrayList<>(image.layers("linux/amd64"));
    out.add(image.config("linux/amd64"));
    return out;
  }

  /** Counts {@link #update} and {@link #info} calls per digest; a real store does the work. */
  private static final class CountingStore extends ForwardingContentStore {
    private final Map<Digest, Integer> updates = new ConcurrentHashMap<>();
    private final Map<Digest, Integer> infos = new ConcurrentHashMap<>();

    CountingStore(ContentStore delegate) {
      super(delegate);
    }

    int updates(Digest d) {
      return updates.getOrDefault(d, 0);
    }

    int infos(Digest d) {
      return infos.getOrDefault(d, 0);
    }

    @Override
    public ContentInfo info(Digest digest) throws IOException {
      infos.merge(digest, 1, Integer::sum);
      return delegate.info(digest);
    }

    @Override
    public ContentInfo update(Digest digest, Map<String, String> labels) throws IOException {
      updates.merge(digest, 1, Integer::sum);
      return delegate.update(digest, labels);
    }
  }
}
