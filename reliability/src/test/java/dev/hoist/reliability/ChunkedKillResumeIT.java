package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ByteRange;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestRefs;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code hoist fetch} while a large blob downloads as parallel range chunks: the
 * chunks that completed ahead of the stalled first one, and that chunk's bytes up to the stall (but
 * for less than 64 KiB its worker may still hold), are in the data file and listed in the ingest's
 * ranges file (written ranges: no fsync is waited for), and the rerun asks for exactly the gaps, so
 * the registry sends exactly the blob's size minus what the ingest kept.
 */
@Timeout(180)
class ChunkedKillResumeIT {

  private static final int CHUNK = DockerResolver.DEFAULT_CHUNK_SIZE;

  /** Five chunks: the first stalls, the four others (two rounds of workers) complete. */
  private static final int LAYER = 5 * CHUNK;

  /** Where the first chunk's body stalls. */
  private static final long STALL_AT = 3 << 20;

  /**
   * What a chunk worker may hold unwritten when its stream stalls: it writes as soon as the stream
   * has nothing ready only once it holds 64 KiB ({@code ChunkedFill.EAGER}), so that a trickling
   * network does not become many tiny writes. How much it holds at the stall depends on how the
   * reads fell, so the kept prefix ends between {@code STALL_AT - HELD} and {@code STALL_AT}.
   */
  private static final long HELD = 64 << 10;

  @TempDir Path dir;

  @Test
  void killedChunkedFetchKeepsCompletedChunksAndTheRerunFetchesOnlyTheGaps() throws Exception {
    Path storeDir = dir.resolve("store");
    TestImage image = GeneratedImages.random(ImageSpec.builder().layers(1, LAYER).seed(41).build());
    Descriptor layer = image.layers().get(0);
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/big:1", image);
      String ref = registry.reference("team/big:1");
      // The first request for the layer is the first chunk's (it is sent before the others).
      registry
          .faults()
          .add(
              FaultRule.on("GET", layer.digest() + "$")
                  .first(1)
                  .inject(Fault.stall(STALL_AT, Duration.ofMinutes(10))));
      LocalContentStore observer = LocalContentStore.open(storeDir);

      Path log = dir.resolve("first.log");
      // The stall must outlast the wait below: at the default idle timeout (60 s) a slow machine
      // saw the client give up on the stalled chunk and fetch it again before the kill.
      Process first = Processes.fetch(log, storeDir, ref, "--idle-timeout", "15m");
      Processes.await(
          "the stalled first chunk's bytes and every other chunk recorded in the ranges file",
          Duration.ofSeconds(90),
          () -> {
            if (!first.isAlive()) {
              throw new AssertionError("fetch ended early: " + Processes.output(log));
            }
            List<ByteRange> written = recorded(storeDir);
            return written.contains(new ByteRange(CHUNK, LAYER))
                && !written.isEmpty()
                && written.get(0).start() == 0
                && written.get(0).end() >= STALL_AT - HELD;
          });
      first.destroyForcibly(); // kill -9: nothing is flushed or recorded on the way out
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ingestDir(storeDir).resolve("ranges")).isRegularFile();

      List<ByteRange> kept;
      try (ContentWriter w = observer.writer(IngestRefs.of(layer), layer)) {
        kept = w.present(); // what the rerun's writer will find
      }
      // What the registry sent before the kill: the first chunk up to its stall (less what the
      // worker still held), the other chunks whole.
      assertThat(kept).hasSize(2);
      assertThat(kept.get(0).start()).isZero();
      assertThat(kept.get(0).end()).isBetween(STALL_AT - HELD, STALL_AT);
      assertThat(kept.get(1)).isEqualTo(new ByteRange(CHUNK, LAYER));
      List<ByteRange> gaps = ByteRange.gaps(kept, LAYER);
      assertThat(gaps).isNotEmpty().allSatisfy(g -> assertThat(g.end()).isLessThanOrEqualTo(CHUNK));

      registry.faults().clear();
      registry.requestLog().clear();
      Path log2 = dir.resolve("second.log");
      Process second = Processes.fetch(log2, storeDir, ref);
      assertThat(Processes.exitCode(second, Duration.ofSeconds(90), log2))
          .as(Processes.output(log2))
          .isZero();

      List<String> wanted = new ArrayList<>();
      for (ByteRange g : gaps) {
        wanted.add("bytes=" + g.start() + "-" + (g.end() - 1));
      }
      assertThat(Fetches.gets(registry, layer.digest()))
          .extracting(r -> r.header("Range"))
          .containsExactlyElementsOf(wanted);
      assertThat(Fetches.bytesSent(registry, layer.digest()))
          .isEqualTo(LAYER - ByteRange.total(kept));
      assertThat(Fetches.verifies(observer, layer)).isTrue();
      assertThat(observer.ingests()).isEmpty();
    }
  }

  /** The ranges listed in the only ingest's ranges file; empty while there is none. */
  private static List<ByteRange> recorded(Path storeDir) {
    try {
      Path ranges = ingestDir(storeDir).resolve("ranges");
      if (!Files.exists(ranges)) {
        return List.of();
      }
      List<ByteRange> out = new ArrayList<>();
      for (String line : Files.readAllLines(ranges)) {
        String[] p = line.split(" ");
        if (p[0].equals("w")) { // written (this boot), as soon as each write returned
          out.add(new ByteRange(Long.parseLong(p[1]), Long.parseLong(p[2])));
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of(); // being replaced, or the ingest not there yet
    }
  }

  /** The ingest directory of the one blob in flight (the others are small and done by then). */
  private static Path ingestDir(Path storeDir) {
    try (var dirs = Files.list(storeDir.resolve("ingest"))) {
      List<Path> all = dirs.filter(Files::isDirectory).toList();
      return all.size() == 1 ? all.get(0) : storeDir.resolve("ingest").resolve("none");
    } catch (IOException e) {
      if (!Files.exists(storeDir.resolve("ingest"))) {
        return storeDir.resolve("ingest").resolve("none");
      }
      throw new UncheckedIOException(e);
    }
  }
}
