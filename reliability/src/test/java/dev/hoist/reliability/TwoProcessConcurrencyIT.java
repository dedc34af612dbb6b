package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.reference.DockerReferences;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code hoist fetch} processes fetching the same image into one {@link LocalContentStore} at
 * once.
 */
@Timeout(120)
class TwoProcessConcurrencyIT {

  @TempDir Path dir;

  @Test
  void twoProcessesFetchingOneImageIntoOneStoreBothSucceedAndListItOnce() throws Exception {
    Path storeDir = dir.resolve("store");
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(3, 256 << 10).seed(41).build());
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);
      String ref = registry.reference("team/app:1");
      // The first blob requests hold still (for at most a few seconds, in case they arrive after
      // the release) until both processes have resolved the tag, so that their fetches overlap.
      registry
          .faults()
          .add(
              FaultRule.on("GET", "/blobs/")
                  .first(3)
                  .inject(Fault.stall(1000, Duration.ofSeconds(3))));
      FaultRule resolves =
          registry
              .faults()
              .add(FaultRule.on("HEAD", "/manifests/1$").inject(Fault.bandwidth(1 << 30)));

      Path log1 = dir.resolve("a.log");
      Path log2 = dir.resolve("b.log");
      Process a = Processes.fetch(log1, storeDir, ref);
      Process b = Processes.fetch(log2, storeDir, ref);
      Processes.await(
          "both processes to resolve the tag",
          Duration.ofSeconds(60),
          () -> registry.faults().matched(resolves) >= 2);
      registry.faults().releaseStalls();

      assertThat(Processes.exitCode(a, Duration.ofSeconds(60), log1))
          .as(Processes.output(log1))
          .isZero();
      assertThat(Processes.exitCode(b, Duration.ofSeconds(60), log2))
          .as(Processes.output(log2))
          .isZero();

      LocalContentStore store = LocalContentStore.open(storeDir);
      for (Descriptor d : Fetches.amd64Blobs(image)) {
        assertThat(Fetches.verifies(store, d)).isTrue();
      }
      assertThat(StoreChecks.corruptBlobs(store)).isEmpty();
      assertThat(Processes.verify(storeDir, dir.resolve("verify.log")))
          .as(Processes.output(dir.resolve("verify.log")))
          .isZero();
      assertThat(store.ingests()).isEmpty();
      assertThat(StoreChecks.indexEntries(store, DockerReferences.normalize(ref).toString()))
          .isEqualTo(1);
      assertThat(store.list()).hasSize(1);
    }
  }
}
