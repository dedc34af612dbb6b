package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.blobGets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.NotFoundException;
import dev.hoist.remotes.Resolved;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import dev.hoist.testkit.TestRegistryExtension;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DockerResolver#resolve} and {@link DockerFetcher} against the testkit registry, request by
 * request.
 */
@Timeout(60)
class TestkitResolverTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage MULTI =
      GeneratedImages.random(
          ImageSpec.builder()
              .platforms("linux/amd64", "linux/arm64/v8")
              .layers(1, 256 * 1024)
              .seed(12)
              .build());

  final RecordingSleeper sleeper = new RecordingSleeper();
  final DockerResolver resolver = TestkitFetches.resolver(sleeper);

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("tk/resolve:1", MULTI);
  }

  static TestRegistry registry() {
    return REGISTRY.registry();
  }

  @Test
  void aTagResolvesWithASingleHead() throws Exception {
    Resolved r = resolver.resolve(registry().reference("tk/resolve:1"));

    assertThat(r.descriptor()).isEqualTo(MULTI.root());
    assertThat(registry().requestLog().entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.method()).isEqualTo("HEAD");
              assertThat(e.path()).isEqualTo("/v2/tk/resolve/manifests/1");
              assertThat(e.header("Accept")).contains(MULTI.root().mediaType());
            });
  }

  @Test
  void aDigestReferenceResolvesWithASingleHead() throws Exception {
    Resolved r = resolver.resolve(registry().reference("tk/resolve@" + MULTI.root().digest()));

    assertThat(r.descriptor()).isEqualTo(MULTI.root());
    assertThat(registry().requestLog().entries())
        .extracting(LoggedRequest::method)
        .containsExactly("HEAD");
  }

  @Test
  void aRefusedHeadFallsBackToAGetWhoseBodyIsHashed() throws Exception {
    registry().faults().add("HEAD", "/manifests/", Fault.status(405));

    Resolved r = resolver.resolve(registry().reference("tk/resolve:1"));

    assertThat(r.descriptor()).isEqualTo(MULTI.root());
    assertThat(registry().requestLog().entries())
        .extracting(e -> e.method() + " " + e.status())
        .containsExactly("HEAD 405", "GET 200");
  }

  @Test
  void aMissingTagIsNotFoundAfterOneRequest() {
    String ref = registry().reference("tk/resolve:absent");

    assertThatThrownBy(() -> resolver.resolve(ref))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(ref);

    assertThat(registry().requestLog().entries())
        .extracting(LoggedRequest::status)
        .containsExactly(404);
    assertThat(sleeper.waits).as("a 404 is not retried").isEmpty();
  }

  @Test
  void aFetchFromAnOffsetSendsAnOpenRangeAndYieldsTheRest() throws Exception {
    Descriptor layer = MULTI.layers().get(0);
    byte[] bytes = MULTI.bytes(layer);
    long offset = 100_000;

    try (InputStream in =
        resolver.fetcher(registry().reference("tk/resolve:1")).fetch(layer, offset)) {
      assertThat(in.readAllBytes())
          .isEqualTo(Arrays.copyOfRange(bytes, (int) offset, bytes.length));
    }

    assertThat(blobGets(registry(), layer.digest()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.header("Range")).isEqualTo("bytes=" + offset + "-");
              assertThat(e.status()).isEqualTo(206);
              assertThat(e.bytesSent()).isEqualTo(bytes.length - offset);
            });
  }

  @Test
  void aFetchFromAnOffsetOfAServerIgnoringRangeSkipsThePrefix() throws Exception {
    Descriptor layer = MULTI.layers().get(1);
    byte[] bytes = MULTI.bytes(layer);
    long offset = 12_345;
    registry().faults().add("GET", "/blobs/", Fault.ignoreRange());

    try (InputStream in =
        resolver.fetcher(registry().reference("tk/resolve:1")).fetch(layer, offset)) {
      assertThat(in.readAllBytes())
          .isEqualTo(Arrays.copyOfRange(bytes, (int) offset, bytes.length));
    }

    assertThat(blobGets(registry(), layer.digest()))
        .extracting(LoggedRequest::status)
        .containsExactly(200);
  }

  @Test
  void aBodyStalledPastTheIdleTimeoutIsResumedWithARange() throws Exception {
    DockerResolver impatient =
        DockerResolver.builder()
            .retryPolicy(TestkitFetches.FAST_RETRIES)
            .sleeper(sleeper)
            .readIdleTimeout(Duration.ofMillis(500))
            .build();
    Descriptor layer = MULTI.layers().get(0);
    byte[] bytes = MULTI.bytes(layer);
    long stallAt = 64 * 1024;
    // The stall outlasts the idle timeout many times over; released once the client has moved on,
    // so that the stalled server thread does not linger until the registry closes.
    FaultRule stall =
        registry()
            .faults()
            .add(
                FaultRule.on("GET", "/blobs/" + layer.digest())
                    .first(1)
                    .inject(Fault.stall(stallAt, Duration.ofMinutes(5))));

    byte[] got;
    try (InputStream in = impatient.fetcher(registry().reference("tk/resolve:1")).fetch(layer, 0)) {
      got = in.readAllBytes();
    } finally {
      registry().faults().releaseStalls();
    }

    assertThat(got).isEqualTo(bytes);
    assertThat(registry().faults().applied(stall)).isEqualTo(1);
    assertThat(blobGets(registry(), layer.digest()))
        .filteredOn(e -> e.header("Range") != null)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.header("Range")).isEqualTo("bytes=" + stallAt + "-");
              assertThat(e.status()).isEqualTo(206);
            });
  }
}
