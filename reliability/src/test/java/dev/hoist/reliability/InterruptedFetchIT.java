package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.IngestStatus;
import dev.hoist.content.local.LocalContentStore;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code hoist fetch} in the middle of a blob: the bytes that arrived are written to the
 * ingest before the process exits (not only the full 1 MiB buffers), stderr says so in one line,
 * and the next run resumes from there with a {@code Range} request.
 */
@Timeout(120)
class InterruptedFetchIT {

  /**
   * Where the layer's body stalls: 1.5 MiB plus 100,000 bytes, so that the last bytes received are
   * fewer than the copy writes out eagerly (256 KiB) and are still in hand when the signal comes.
   */
  private static final long STALL_AT = (1536 << 10) + 100_000;

  /** Bytes that may legitimately be lost: sent but still in the socket when the signal came. */
  private static final long SLACK = 64 << 10;

  @TempDir Path dir;

  @Test
  void sigtermMidBlobKeepsWhatArrivedSaysSoInOneLineAndTheRerunResumes() throws Exception {
    Path storeDir = dir.resolve("store");
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(1, 4 << 20).seed(37).build());
    Descriptor layer = image.layers().get(0);
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);
      String ref = registry.reference("team/app:1");
      registry
          .faults()
          .add(
              FaultRule.on("GET", layer.digest() + "$")
                  .first(1)
                  .inject(Fault.stall(STALL_AT, Duration.ofMinutes(10))));
      LocalContentStore observer = LocalContentStore.open(storeDir);

      Path log = dir.resolve("first.log");
      Process first = Processes.fetch(log, storeDir, ref);
      Processes.await(
          "the stalled layer's ingest within 256 KiB of the stall",
          Duration.ofSeconds(60),
          () -> {
            if (!first.isAlive()) {
              throw new AssertionError("fetch ended early: " + Processes.output(log));
            }
            List<Long> offsets = ingestOffsets(observer);
            return offsets.size() == 1 && offsets.get(0) >= STALL_AT - (256 << 10);
          });
      first.destroy(); // SIGTERM
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();

      List<Long> offsets = ingestOffsets(observer);
      assertThat(offsets).hasSize(1);
      long kept = offsets.get(0);
      assertThat(kept).as("bytes kept of %d sent", STALL_AT).isBetween(STALL_AT - SLACK, STALL_AT);
      String output = Processes.output(log);
      assertThat(output.lines().filter(l -> l.startsWith("hoist:")).toList())
          .containsExactly("hoist: interrupted; run the same command again to resume");

      registry.faults().clear();
      registry.requestLog().clear();
      Path log2 = dir.resolve("second.log");
      Process second = Processes.fetch(log2, storeDir, ref);
      assertThat(Processes.exitCode(second, Duration.ofSeconds(60), log2))
          .as(Processes.output(log2))
          .isZero();

      assertThat(Fetches.gets(registry, layer.digest()))
          .extracting(r -> r.header("Range"))
          .containsExactly("bytes=" + kept + "-");
      assertThat(Fetches.bytesSent(registry, layer.digest())).isEqualTo(layer.size() - kept);
      assertThat(Fetches.verifies(observer, layer)).isTrue();
      assertThat(observer.ingests()).isEmpty();
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
