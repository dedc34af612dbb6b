package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Index;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import dev.hoist.testing.TestImages;
import dev.hoist.testing.TestRemote;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared set-up of the end-to-end fetch tests: an index → 3 manifests (linux/amd64, linux/arm64/v8,
 * linux/arm/v7) → a config and 2 layers each, served by a {@link TestRemote} and fetched into an
 * {@link InMemoryContentStore}.
 */
abstract class FetchFixture {

  static final String REF = "docker.io/library/app:1";
  static final String GC = "containerd.io/gc.ref.content.";
  static final String SOURCE = "containerd.io/distribution.source.docker.io";

  final TestImages image = TestImages.builder().build();
  final TestRemote remote = new TestRemote().add(REF, image);
  final InMemoryContentStore store = new InMemoryContentStore();
  final InMemoryImageStore images = new InMemoryImageStore();
  final ExecutorService pool = Executors.newFixedThreadPool(4);
  final Client client = Client.builder().contentStore(store).imageStore(images).build();

  @AfterEach
  void close() {
    client.close();
    pool.shutdownNow();
  }

  RemoteContext.Builder ctx() {
    return RemoteContext.builder().resolver(remote).executor(pool);
  }

  Set<Digest> stored() throws IOException {
    Set<Digest> digests = new HashSet<>();
    store.walk(info -> true, info -> digests.add(info.digest()));
    return digests;
  }

  @SafeVarargs
  static Set<Digest> union(Set<Digest>... sets) {
    Set<Digest> all = new HashSet<>();
    for (Set<Digest> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  Set<Digest> rootOnly() {
    return Set.of(image.root().digest());
  }

  void assertFetchedOnce(Set<Digest> expected) throws IOException {
    assertThat(remote.fetched()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(remote.fetchCounts().values()).containsOnly(1);
    assertThat(stored()).containsExactlyInAnyOrderElementsOf(expected);
  }

  Descriptor indexOf(Descriptor manifest) {
    byte[] json =
        OciJson.write(new Index(2, MediaTypes.OCI_INDEX, null, List.of(manifest), null, Map.of()));
    remote.blob(json);
    return TestImages.descriptor(MediaTypes.OCI_INDEX, json);
  }

  static ProgressListener recorder(List<String> events) {
    return new ProgressListener() {
      @Override
      public void resolving(String ref) {
        events.add("resolving " + ref);
      }

      @Override
      public void resolved(String ref, Descriptor root) {
        events.add("resolved " + ref + " " + root.digest());
      }

      @Override
      public void waiting(Descriptor desc) {
        events.add("waiting " + desc.digest());
      }

      @Override
      public void downloading(Descriptor desc, long resumeOffset) {
        events.add("downloading " + desc.digest() + " " + resumeOffset);
      }

      @Override
      public void done(Descriptor desc) {
        events.add("done " + desc.digest());
      }

      @Override
      public void exists(Descriptor desc) {
        events.add("exists " + desc.digest());
      }

      @Override
      public void failed(Descriptor desc, Throwable error) {
        events.add("failed " + desc.digest());
      }
    };
  }
}
