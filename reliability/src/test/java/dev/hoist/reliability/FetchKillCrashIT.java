package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.IngestStatus;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.reference.DockerReferences;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code hoist fetch} process in the middle of a multi-layer fetch: the next
 * run reuses every finished blob and the partial bytes of the interrupted one, and {@code hoist
 * content verify} passes.
 */
@Timeout(120)
class FetchKillCrashIT {

  /**
   * Where the interrupted layer stalls: past the first 256 KiB, which the copy writes to the ingest
   * once nothing more is ready, so that some of its bytes are on disk when the process dies.
   */
  private static final long STALL_AT = 1536 << 10;

  @TempDir Path dir;

  @Test
  void secondRunAfterKillReusesFinishedBlobsAndResumesThePartialOne() throws Exception {
    Path storeDir = dir.resolve("store");
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(3, 2 << 20).seed(31).build());
    List<Descriptor> layers = image.layers();
    Descriptor interrupted = layers.get(2);
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);
      String ref = registry.reference("team/app:1");
      // The last layer stops after PARTIAL bytes, so that the kill finds it half written.
      registry
          .faults()
          .add(
              FaultRule.on("GET", interrupted.digest() + "$")
                  .first(1)
                  .inject(Fault.stall(STALL_AT, Duration.ofMinutes(10))));
      LocalContentStore observer = LocalContentStore.open(storeDir);

      Process first = Processes.fetch(dir.resolve("first.log"), storeDir, ref);
      Processes.await(
          "two committed layers and only a partial ingest of the third",
          Duration.ofSeconds(60),
          () -> {
            if (!first.isAlive()) {
              throw new AssertionError(
                  "fetch ended early: " + Processes.output(dir.resolve("first.log")));
            }
            // Exactly one ingest: the committed layers' ingests are cleaned up, so nothing but the
            // stalled layer is still moving when the process is killed.
            List<Long> offsets = ingestOffsets(observer);
            return Fetches.has(observer, layers.get(0).digest())
                && Fetches.has(observer, layers.get(1).digest())
                && offsets.size() == 1
                && offsets.get(0) > 0;
          });
      first.destroyForcibly();
      first.waitFor();
      List<Long> offsets = ingestOffsets(observer);
      assertThat(offsets).hasSize(1);
      long partial = offsets.get(0);
      assertThat(partial).isPositive().isLessThanOrEqualTo(STALL_AT);

      List<Descriptor> finished =
          Fetches.amd64Blobs(image).stream()
              .filter(d -> Fetches.has(observer, d.digest()))
              .toList();
      assertThat(finished)
          .contains(image.root(), image.configs().get(0), layers.get(0), layers.get(1));
      // The killed process's stalled response stays stalled (and unlogged) until the registry
      // closes.
      registry.faults().clear();
      registry.requestLog().clear();

      Path log = dir.resolve("second.log");
      Process second = Processes.fetch(log, storeDir, ref);
      assertThat(Processes.exitCode(second, Duration.ofSeconds(60), log))
          .as(Processes.output(log))
          .isZero();

      for (Descriptor d : finished) {
        assertThat(Fetches.gets(registry, d.digest()))
            .as("re-download of %s", d.digest())
            .isEmpty();
      }
      assertThat(Fetches.gets(registry, interrupted.digest()))
          .extracting(r -> r.header("Range"))
          .containsExactly("bytes=" + partial + "-");
      assertThat(Fetches.bytesSent(registry, interrupted.digest()))
          .isEqualTo(interrupted.size() - partial);
      for (Descriptor d : Fetches.amd64Blobs(image)) {
        assertThat(Fetches.verifies(observer, d)).isTrue();
      }
      assertThat(StoreChecks.corruptBlobs(observer)).isEmpty();
      assertThat(Processes.verify(storeDir, dir.resolve("verify.log")))
          .as(Processes.output(dir.resolve("verify.log")))
          .isZero();
      assertThat(observer.ingests()).isEmpty();
      assertThat(StoreChecks.indexEntries(observer, DockerReferences.normalize(ref).toString()))
          .isEqualTo(1);
    }
  }

  private static List<Long> ingestOffsets(LocalContentStore store) {
    try {
      return store.ingests().stream().map(IngestStatus::offset).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
