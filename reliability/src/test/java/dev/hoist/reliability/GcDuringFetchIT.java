package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.reference.DockerReferences;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hoist gc} in one process while {@code hoist fetch} in another is half way through: the
 * blobs the fetch committed belong to no recorded image yet, and must survive. The collection waits
 * for the fetch (the store's gc.lock), then removes only what no image needs.
 */
@Timeout(120)
class GcDuringFetchIT {

  @TempDir Path dir;

  @Test
  void gcInAnotherProcessWaitsForAFetchInFlightAndLosesNothingOfIt() throws Exception {
    Path storeDir = dir.resolve("store");
    LocalContentStore store = LocalContentStore.open(storeDir);
    byte[] orphanBytes = "no image needs this".getBytes(StandardCharsets.UTF_8);
    Descriptor orphan =
        Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(orphanBytes), orphanBytes.length);
    try (ContentWriter w = store.writer("orphan", orphan)) {
      w.write(ByteBuffer.wrap(orphanBytes));
      w.commit(orphanBytes.length, orphan.digest(), Map.of());
    }
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(3, 256 << 10).seed(77).build());
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);
      String ref = registry.reference("team/app:1");
      // One layer's request holds still half way until released: the fetch has committed the
      // index and manifest (and maybe other blobs) but cannot record its image yet. (A layer, not
      // whichever blob comes first: a config shorter than the stall offset would not stall.)
      Descriptor stalled = image.layers().get(image.layers().size() - 1);
      FaultRule stall =
          registry
              .faults()
              .add(
                  FaultRule.on("GET", "/blobs/" + stalled.digest())
                      .first(1)
                      .inject(Fault.stall(1000, Duration.ofSeconds(60))));

      Path fetchLog = dir.resolve("fetch.log");
      Path gcLog = dir.resolve("gc.log");
      Process fetch = Processes.fetch(fetchLog, storeDir, ref);
      Path rootBlob = storeDir.resolve("blobs/sha256").resolve(image.root().digest().encoded());
      Processes.await(
          "the fetch to commit its root and reach the stalled blob",
          Duration.ofSeconds(60),
          () -> Files.exists(rootBlob) && registry.faults().applied(stall) >= 1);

      Process gc =
          Processes.hoist(gcLog, "gc", "--ingest-age", "0", "--store", storeDir.toString());
      Processes.await(
          "gc to wait for the fetch",
          Duration.ofSeconds(60),
          () -> Processes.output(gcLog).contains("waiting for fetches"));
      assertThat(gc.isAlive()).as(Processes.output(gcLog)).isTrue();
      assertThat(Files.exists(rootBlob)).as("nothing collected while the fetch runs").isTrue();
      registry.faults().releaseStalls();

      assertThat(Processes.exitCode(fetch, Duration.ofSeconds(60), fetchLog))
          .as(Processes.output(fetchLog))
          .isZero();
      assertThat(Processes.exitCode(gc, Duration.ofSeconds(60), gcLog))
          .as(Processes.output(gcLog))
          .isZero();

      assertThat(Processes.output(gcLog))
          .contains("removed " + orphan.digest())
          .contains("removed 1 blobs");
      assertThat(store.exists(orphan.digest())).isFalse();
      for (Descriptor d : Fetches.amd64Blobs(image)) {
        assertThat(store.exists(d.digest())).as("kept " + d.digest()).isTrue();
        assertThat(Fetches.verifies(store, d)).isTrue();
      }
      assertThat(store.get(DockerReferences.normalize(ref).toString())).isPresent();
      assertThat(Processes.verify(storeDir, dir.resolve("verify.log")))
          .as(Processes.output(dir.resolve("verify.log")))
          .isZero();
    }
  }
}
