package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestRefs;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against Docker's distribution registry: an interrupted ingest resumes with a Range request, and
 * an ingest holding bad bytes is discarded rather than resumed.
 */
@Timeout(90)
class DistributionRegistryFaultIT {

  @RegisterExtension
  static final DistributionRegistry registry = DistributionRegistry.builder().build();

  @TempDir Path dir;

  private static final TestImages IMAGE =
      TestImages.builder()
          .platforms("linux/amd64")
          .noIndex()
          .layersPerManifest(2)
          .layerSize(300_000)
          .seed("fault-it")
          .build();

  private static String push(String repo) {
    RegistryPusher.to(registry).push(repo, "1", IMAGE);
    return registry.hostPort() + "/" + repo + ":1";
  }

  private static DockerResolver resolver() {
    return Fetches.resolver(new RecordingSleeper()).build();
  }

  @Test
  void interruptedIngestResumesFromItsOffsetAgainstTheRealRegistry() throws Exception {
    String ref = push("fault/resume");
    Descriptor layer = IMAGE.layers("linux/amd64").get(0);
    LocalContentStore store = LocalContentStore.open(dir);
    byte[] bytes = IMAGE.blob(layer.digest());
    try (ContentWriter w = store.writer(IngestRefs.of(layer), layer)) {
      w.write(ByteBuffer.wrap(bytes, 0, 123_456));
    }

    Fetches.fetch(store, store, ref, resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    assertThat(store.ingests()).isEmpty();
    assertThat(StoreChecks.corruptBlobs(store)).isEmpty();
  }

  @Test
  void ingestHoldingBadBytesIsDiscardedNotResumed() throws Exception {
    String ref = push("fault/badbytes");
    Descriptor layer = IMAGE.layers("linux/amd64").get(0);
    LocalContentStore store = LocalContentStore.open(dir);
    byte[] garbage = new byte[100_000];
    Arrays.fill(garbage, (byte) 0x5a);
    try (ContentWriter w = store.writer(IngestRefs.of(layer), layer)) {
      w.write(ByteBuffer.wrap(garbage));
    }

    // The resumed bytes do not hash to the layer: refused, naming both digests, and the ingest is
    // emptied so that the next attempt starts from byte 0.
    assertThatThrownBy(() -> Fetches.fetch(store, store, ref, resolver()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest().toString());
    assertThat(Fetches.has(store, layer.digest())).isFalse();
    // (Other layers cancelled by the failure keep their genuine bytes for a resume.)
    assertThat(store.ingests())
        .filteredOn(s -> s.ref().equals(IngestRefs.of(layer)))
        .allSatisfy(s -> assertThat(s.offset()).isZero());

    Fetches.fetch(store, store, ref, resolver());
    assertThat(Fetches.verifies(store, layer)).isTrue();
  }

  @Test
  void missingTagIsNotFoundNamingTheReference() throws Exception {
    LocalContentStore store = LocalContentStore.open(dir);
    String ref = registry.hostPort() + "/fault/none:1";

    assertThatThrownBy(() -> Fetches.fetch(store, store, ref, resolver()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("fault/none");
  }
}
