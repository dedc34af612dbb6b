package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.IngestRefs;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network faults while a blob is on the wire, injected by the testkit registry: the fetch into a
 * {@link LocalContentStore} either completes with verified content or fails with a typed error, and
 * never commits or resumes from bad bytes.
 */
@Timeout(60)
class BlobTransferFaultTest {

  /** Upper bound of bytes a client may have read past a drop: one copy buffer. */
  private static final long ONE_BUFFER = 64 << 10;

  private static final long LAYER = 1 << 20;

  @TempDir Path dir;

  private TestRegistry registry;
  private TestImage image;
  private Descriptor layer;
  private LocalContentStore store;
  private final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.start();
    image = GeneratedImages.random(ImageSpec.builder().layers(1, LAYER).seed(11).build());
    registry.push("team/app:1", image);
    layer = image.layers().get(0);
    store = LocalContentStore.open(dir.resolve("store"));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private String ref() {
    return registry.reference("team/app:1");
  }

  private String layerPath() {
    return "/blobs/" + layer.digest() + "$";
  }

  private DockerResolver resolver() {
    return Fetches.resolver(sleeper).build();
  }

  @Test
  void severalDropsInOneBlobResumeWithRangeAndResendAtMostOneBufferPerDrop() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).first(3).inject(Fault.dropAfter(300_000)));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    List<LoggedRequest> gets = Fetches.gets(registry, layer.digest());
    assertThat(gets).hasSize(4);
    assertThat(gets.get(0).header("Range")).isNull();
    assertThat(gets.subList(1, 4))
        .extracting(r -> r.header("Range"))
        .containsExactly("bytes=300000-", "bytes=600000-", "bytes=900000-");
    assertThat(Fetches.bytesSent(registry, layer.digest()))
        .isBetween(LAYER, LAYER + 3 * ONE_BUFFER);
  }

  @Test
  void registryThatIgnoresRangeStillYieldsTheRightBlob() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).first(1).inject(Fault.dropAfter(400_000)));
    registry.faults().add(FaultRule.on("GET", layerPath()).inject(Fault.ignoreRange()));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    List<LoggedRequest> gets = Fetches.gets(registry, layer.digest());
    assertThat(gets).hasSize(2);
    assertThat(gets.get(1).header("Range")).isEqualTo("bytes=400000-");
    assertThat(gets.get(1).status()).isEqualTo(200);
  }

  @Test
  void stalledBodyIsDetectedByTheIdleTimeoutAndResumed() {
    registry
        .faults()
        .add(
            FaultRule.on("GET", layerPath())
                .first(1)
                .inject(Fault.stall(200_000, Duration.ofMinutes(5))));
    DockerResolver resolver =
        Fetches.resolver(sleeper).readIdleTimeout(Duration.ofMillis(500)).build();

    Fetches.fetch(store, ref(), resolver);

    assertThat(Fetches.verifies(store, layer)).isTrue();
    // The stalled response is logged only once the registry gives up on it; the resume is logged at
    // once.
    List<LoggedRequest> gets = Fetches.gets(registry, layer.digest());
    assertThat(gets)
        .anySatisfy(
            r -> {
              assertThat(r.header("Range")).isEqualTo("bytes=200000-");
              assertThat(r.bytesSent()).isEqualTo(LAYER - 200_000);
            });
  }

  @Test
  void bodyThatAlwaysStallsFailsWithAClearUnavailableErrorAndCommitsNothing() throws Exception {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).inject(Fault.stall(0, Duration.ofMinutes(5))));
    DockerResolver resolver =
        Fetches.resolver(sleeper).readIdleTimeout(Duration.ofMillis(300)).build();

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(layer.digest().toString())
        .hasMessageContaining("stalled");

    assertThat(Fetches.has(store, layer.digest())).isFalse();
    assertNoResumableBytes();
  }

  @Test
  void serverErrorStormIsRetriedWithBackoffThenNamesHostAndStatus() {
    registry.faults().add(FaultRule.on("GET", layerPath()).inject(Fault.status(503)));
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(5)
            .maxTotalRetryTime(Duration.ofSeconds(30))
            .seed(3)
            .build();
    DockerResolver resolver = Fetches.resolver(sleeper).retryPolicy(policy).build();

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(registry.host())
        .hasMessageContaining("503");

    assertThat(sleeper.waits()).hasSize(4);
    assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofSeconds(30));
    // Exponential: each wait at least the previous one's jitter-free floor.
    assertThat(sleeper.waits().get(3)).isGreaterThan(sleeper.waits().get(0));
    assertThat(Fetches.gets(registry, layer.digest())).hasSize(5);
    assertThat(Fetches.has(store, layer.digest())).isFalse();
  }

  @Test
  void shortServerErrorStormIsRidenOut() {
    registry.faults().add(FaultRule.on("GET", layerPath()).first(3).inject(Fault.status(500)));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    assertThat(sleeper.waits()).hasSize(3);
  }

  @Test
  void tooManyRequestsHonoursRetryAfter() {
    registry
        .faults()
        .add(
            FaultRule.on("GET", layerPath())
                .first(2)
                .inject(Fault.status(429, Duration.ofSeconds(7))));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    assertThat(sleeper.waits())
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
  }

  @Test
  void retryAfterBeyondTheRetryBudgetFailsAtOnceInsteadOfWaiting() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).inject(Fault.status(429, Duration.ofSeconds(600))));
    RetryPolicy policy =
        RetryPolicy.builder().maxTotalRetryTime(Duration.ofSeconds(20)).seed(3).build();
    DockerResolver resolver = Fetches.resolver(sleeper).retryPolicy(policy).build();

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(registry.host())
        .hasMessageContaining("429")
        .hasMessageContaining("retry budget");

    assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void corruptedByteCommitsNothingNamesBothDigestsAndDiscardsTheIngest() throws Exception {
    FaultRule corrupt =
        registry.faults().add(FaultRule.on("GET", layerPath()).inject(Fault.corruptByte(500_000)));

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest().toString())
        .satisfies(
            e -> assertThat(((DigestMismatchException) e).expected()).isEqualTo(layer.digest()))
        .satisfies(
            e -> assertThat(((DigestMismatchException) e).actual()).isNotEqualTo(layer.digest()))
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains(((DigestMismatchException) e).actual().toString()));

    assertThat(Fetches.has(store, layer.digest())).isFalse();
    assertNoResumableBytes();

    // The next fetch starts over from byte 0 rather than resuming from bad bytes.
    registry.faults().remove(corrupt);
    registry.requestLog().clear();
    Fetches.fetch(store, ref(), resolver());
    assertThat(Fetches.verifies(store, layer)).isTrue();
    assertThat(Fetches.gets(registry, layer.digest()))
        .extracting(r -> r.header("Range"))
        .containsOnlyNulls();
  }

  @Test
  void shorterContentLengthIsTreatedAsATruncatedBodyAndResumed() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).first(1).inject(Fault.contentLength(LAYER / 2)));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
    assertThat(Fetches.gets(registry, layer.digest()))
        .extracting(r -> r.header("Range"))
        .containsExactly(null, "bytes=" + (LAYER / 2) + "-");
  }

  @Test
  void longerContentLengthDoesNotMakeTheClientReadPastTheDescriptorSize() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).inject(Fault.contentLength(LAYER + 1000)));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
  }

  @Test
  void lyingContentLengthOverCorruptBytesStillCommitsNothing() throws Exception {
    registry.faults().add(FaultRule.on("GET", layerPath()).inject(Fault.contentLength(LAYER / 2)));
    registry.faults().add(FaultRule.on("GET", layerPath()).inject(Fault.corruptByte(10)));

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(layer.digest().toString());

    assertThat(Fetches.has(store, layer.digest())).isFalse();
    assertNoResumableBytes();
  }

  @Test
  void lyingDockerContentDigestForADigestReferenceIsRefusedWithBothDigests() throws Exception {
    Descriptor manifest = image.root();
    Descriptor other = image.configs().get(0);
    registry
        .faults()
        .add(FaultRule.on(null, "/manifests/").inject(Fault.digestHeader(other.digest())));

    assertThatThrownBy(
            () ->
                Fetches.fetch(
                    store, registry.reference("team/app@" + manifest.digest()), resolver()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(manifest.digest().toString())
        .hasMessageContaining(other.digest().toString());

    assertThat(Fetches.has(store, manifest.digest())).isFalse();
    assertThat(Fetches.has(store, layer.digest())).isFalse();
    assertNoResumableBytes();
  }

  @Test
  void lyingDockerContentDigestOnAManifestBodyIsRefusedWithBothDigests() throws Exception {
    Descriptor manifest = image.root();
    Descriptor other = image.configs().get(0);
    registry.faults().add(FaultRule.on("HEAD", "/manifests/").inject(Fault.status(405)));
    registry
        .faults()
        .add(FaultRule.on("GET", "/manifests/").inject(Fault.digestHeader(other.digest())));

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(manifest.digest().toString())
        .hasMessageContaining(other.digest().toString());

    assertThat(Fetches.has(store, manifest.digest())).isFalse();
    assertNoResumableBytes();
  }

  @Test
  void lyingDockerContentDigestOnATagThatPointsNowhereIsNotFound() throws Exception {
    Descriptor other = image.configs().get(0);
    registry
        .faults()
        .add(FaultRule.on(null, "/manifests/").inject(Fault.digestHeader(other.digest())));

    assertThatThrownBy(() -> Fetches.fetch(store, ref(), resolver()))
        .isInstanceOf(dev.hoist.errors.NotFoundException.class)
        .hasMessageContaining(other.digest().toString());

    assertThat(Fetches.has(store, image.root().digest())).isFalse();
    assertNoResumableBytes();
  }

  @Test
  void lyingDockerContentDigestOnABlobDoesNotOverrideTheDescriptor() {
    registry
        .faults()
        .add(FaultRule.on("GET", layerPath()).inject(Fault.digestHeader(image.root().digest())));

    Fetches.fetch(store, ref(), resolver());

    assertThat(Fetches.verifies(store, layer)).isTrue();
  }

  private void assertNoResumableBytes() throws Exception {
    assertThat(store.ingests())
        .filteredOn(s -> s.ref().equals(IngestRefs.of(layer)))
        .allSatisfy(s -> assertThat(s.offset()).isZero());
  }
}
