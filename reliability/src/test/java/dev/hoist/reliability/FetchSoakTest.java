package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 300 sequential fetches in one JVM leak no threads, file descriptors or heap. */
@Timeout(180)
class FetchSoakTest {

  private static final int FETCHES = 300;
  private static final int WARM_UP = 20;
  private static final int IMAGES = 10;

  @TempDir Path dir;

  @Test
  void threeHundredFetchesLeakNoThreadsFileDescriptorsOrHeap() throws Exception {
    try (TestRegistry registry = TestRegistry.start()) {
      for (int i = 0; i < IMAGES; i++) {
        registry.push(
            "soak/app" + i + ":1",
            GeneratedImages.random(ImageSpec.builder().layers(2, 1024).seed(100 + i).build()));
      }
      // One resolver for the whole run, as an application would keep one.
      DockerResolver resolver = Fetches.resolver(new RecordingSleeper()).build();

      for (int i = 0; i < WARM_UP; i++) {
        fetchIntoFreshStore(registry, resolver, i);
      }
      Snapshot before = Snapshot.take();
      for (int i = WARM_UP; i < WARM_UP + FETCHES; i++) {
        fetchIntoFreshStore(registry, resolver, i);
      }
      Snapshot after = Snapshot.take();

      assertThat(after.threads.size())
          .as("live threads, before %s, after %s", before.threads, after.threads)
          .isLessThanOrEqualTo(before.threads.size() + 2);
      assertThat(after.fds).as("open file descriptors").isLessThanOrEqualTo(before.fds + 8);
      assertThat(after.heap).as("heap after GC").isLessThanOrEqualTo(before.heap + (16L << 20));
      assertThat(registry.requestLog().matching("GET", "/blobs/")).hasSize((WARM_UP + FETCHES) * 3);
    }
  }

  /**
   * Every tenth fetch goes to a fresh {@link LocalContentStore} (files, locks, fsyncs), the others
   * to a fresh in-memory store, which keeps the run short while every path is exercised.
   */
  private void fetchIntoFreshStore(TestRegistry registry, DockerResolver resolver, int i)
      throws IOException {
    String ref = registry.reference("soak/app" + (i % IMAGES) + ":1");
    if (i % 10 == 0) {
      LocalContentStore store = LocalContentStore.open(dir.resolve("s" + i));
      Fetches.fetch(store, store, ref, resolver);
    } else {
      Fetches.fetch(new InMemoryContentStore(), ref, resolver);
    }
  }

  private record Snapshot(List<String> threads, long fds, long heap) {
    static Snapshot take() throws IOException, InterruptedException {
      // A fetch's pool is shut down when the fetch returns, but its threads take a moment to end:
      // wait for them, so that the count is not a race. A thread that never ends fails the test.
      long deadline = System.nanoTime() + 10_000_000_000L;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("hoist-fetch-")) {
          t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
      }
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long fds;
      try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
        fds = s.count();
      }
      // The registry's handler threads come and go with its load (a cached pool): they are not
      // the code under test.
      List<String> threads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(Thread::isAlive)
              .map(Thread::getName)
              .filter(n -> !n.startsWith("hoist-testkit-"))
              .sorted()
              .collect(Collectors.toList());
      return new Snapshot(threads, fds, heap);
    }
  }
}
