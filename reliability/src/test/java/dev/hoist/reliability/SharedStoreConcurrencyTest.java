package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen threads fetching overlapping images into one store: each blob crosses the network exactly
 * once (a fetch of a blob already in flight waits for it), and every image is complete.
 */
@Timeout(120)
class SharedStoreConcurrencyTest {

  private static final int THREADS = 16;

  @TempDir Path dir;

  @Test
  void sixteenThreadsDownloadEachSharedBlobExactlyOnceAndCompleteEveryImage() throws Exception {
    // Same seed, growing layer counts: each image shares its first layers with the others; the
    // last is an index whose amd64 manifest has the same layers as the second.
    List<TestImage> images =
        List.of(
            GeneratedImages.random(ImageSpec.builder().layers(2, 192 << 10).seed(5).build()),
            GeneratedImages.random(ImageSpec.builder().layers(3, 192 << 10).seed(5).build()),
            GeneratedImages.random(ImageSpec.builder().layers(4, 192 << 10).seed(5).build()),
            GeneratedImages.random(
                ImageSpec.builder()
                    .layers(3, 192 << 10)
                    .seed(5)
                    .platforms("linux/amd64", "linux/arm64")
                    .build()));
    Set<Digest> shared = new HashSet<>(digests(Fetches.amd64Blobs(images.get(0))));
    shared.retainAll(digests(Fetches.amd64Blobs(images.get(2))));
    assertThat(shared).as("the images overlap").hasSize(2);

    try (TestRegistry registry = TestRegistry.start()) {
      for (int i = 0; i < images.size(); i++) {
        registry.push("team/app" + i + ":1", images.get(i));
      }
      // Slow bodies keep downloads in flight long enough for the threads to collide.
      registry.faults().add("GET", "/blobs/", Fault.bandwidth(2 << 20));
      LocalContentStore store = LocalContentStore.open(dir);
      DockerResolver resolver = Fetches.resolver(new RecordingSleeper()).build();

      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<Image>> results = new ArrayList<>();
      try {
        for (int t = 0; t < THREADS; t++) {
          String ref = registry.reference("team/app" + (t % images.size()) + ":1");
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return Fetches.fetch(store, ref, resolver);
                  }));
        }
        start.countDown();
        for (int t = 0; t < THREADS; t++) {
          assertThat(results.get(t).get(90, TimeUnit.SECONDS).target())
              .isEqualTo(images.get(t % images.size()).root());
        }
      } finally {
        pool.shutdownNow();
      }

      Map<Digest, Descriptor> all = new HashMap<>();
      for (TestImage image : images) {
        for (Descriptor d : Fetches.amd64Blobs(image)) {
          all.put(d.digest(), d);
        }
      }
      for (Descriptor d : all.values()) {
        assertThat(Fetches.verifies(store, d)).as("%s complete", d.digest()).isTrue();
        List<LoggedRequest> gets = Fetches.gets(registry, d.digest());
        assertThat(gets).as("downloads of %s", d.digest()).hasSize(1);
        assertThat(gets.get(0).bytesSent()).isEqualTo(d.size());
      }
      assertThat(store.ingests()).isEmpty();
      assertThat(StoreChecks.corruptBlobs(store)).isEmpty();
    }
  }

  private static Set<Digest> digests(List<Descriptor> ds) {
    Set<Digest> out = new HashSet<>();
    ds.forEach(d -> out.add(d.digest()));
    return out;
  }
}
