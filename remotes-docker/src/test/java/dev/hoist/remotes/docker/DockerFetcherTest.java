package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fetching blobs and manifests against WireMock: paths, ranges, hosts, errors and stalls. */
@Timeout(30)
class DockerFetcherTest {

  @RegisterExtension
  static final WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static final WireMockExtension other =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final byte[] LAYER =
      "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
  static final Descriptor LAYER_DESC =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);
  static final String BLOB = "/v2/team/app/blobs/" + LAYER_DESC.digest();

  final RecordingSleeper sleeper = new RecordingSleeper();

  DockerFetcher fetcher() throws Exception {
    return DockerResolver.builder()
        .sleeper(sleeper)
        .build()
        .fetcher("localhost:" + wm.getPort() + "/team/app:1");
  }

  static byte[] read(InputStream in) throws Exception {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void fetchesLayersFromBlobs() throws Exception {
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(200).withBody(LAYER)));

    assertThat(read(fetcher().fetch(LAYER_DESC))).isEqualTo(LAYER);
    wm.verify(getRequestedFor(urlEqualTo(BLOB)).withHeader("Range", absent()));
  }

  @Test
  void fetchesManifestsFromManifestsWithTheirMediaTypeAccepted() throws Exception {
    byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    Descriptor desc =
        Descriptor.of(MediaTypes.DOCKER_MANIFEST, Digest.sha256(manifest), manifest.length);
    String path = "/v2/team/app/manifests/" + desc.digest();
    wm.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(manifest)));

    assertThat(read(fetcher().fetch(desc))).isEqualTo(manifest);
    wm.verify(
        getRequestedFor(urlEqualTo(path))
            .withHeader(
                "Accept",
                com.github.tomakehurst.wiremock.client.WireMock.containing(
                    MediaTypes.DOCKER_MANIFEST)));
  }

  @Test
  void resumesWithARangeAnsweredByPartialContent() throws Exception {
    wm.stubFor(
        get(urlEqualTo(BLOB))
            .withHeader("Range", equalTo("bytes=10-"))
            .willReturn(
                aResponse()
                    .withStatus(206)
                    .withHeader(
                        "Content-Range", "bytes 10-" + (LAYER.length - 1) + "/" + LAYER.length)
                    .withBody(Arrays.copyOfRange(LAYER, 10, LAYER.length))));

    assertThat(read(fetcher().fetch(LAYER_DESC, 10)))
        .isEqualTo(Arrays.copyOfRange(LAYER, 10, LAYER.length));
  }

  @Test
  void rangeIgnoredWithAFullBodyDiscardsTheFirstBytes() throws Exception {
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(200).withBody(LAYER)));

    assertThat(read(fetcher().fetch(LAYER_DESC, 10)))
        .isEqualTo(Arrays.copyOfRange(LAYER, 10, LAYER.length));
  }

  @Test
  void rangeNotSatisfiableIsAnError() {
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(416)));

    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC, 10))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("416")
        .hasMessageContaining(LAYER_DESC.digest().toString());
  }

  @Test
  void partialContentStartingElsewhereIsAnError() {
    wm.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse()
                    .withStatus(206)
                    .withHeader(
                        "Content-Range", "bytes 0-" + (LAYER.length - 1) + "/" + LAYER.length)
                    .withBody(LAYER)));

    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC, 10))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Content-Range");
  }

  @Test
  void offsetOutsideTheBlobIsInvalid() {
    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC, LAYER.length + 1))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC, -1))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void notFoundIsNotFoundNamingTheBlob() {
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(404)));

    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(LAYER_DESC.digest().toString());
  }

  @Test
  void registryErrorJsonBecomesTheMessage() {
    wm.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\","
                            + "\"detail\":{\"repo\":\"team/app\"}}]}")));

    assertThatThrownBy(() -> fetcher().fetch(LAYER_DESC))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("DENIED: requested access to the resource is denied")
        .hasMessageContaining("team/app")
        .hasMessageContaining("403");
  }

  @Test
  void onlyHostsWithPullAreAskedForBlobs() throws Exception {
    other.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(200).withBody(LAYER)));
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(200).withBody(LAYER)));
    RegistryHosts hosts =
        WireMockHosts.fixed(
            WireMockHosts.host(other.getPort(), EnumSet.of(HostCapability.RESOLVE)),
            WireMockHosts.host(wm.getPort(), EnumSet.of(HostCapability.PULL)));

    DockerFetcher fetcher =
        DockerResolver.builder()
            .hosts(hosts)
            .build()
            .fetcher("localhost:" + wm.getPort() + "/team/app:1");

    assertThat(read(fetcher.fetch(LAYER_DESC))).isEqualTo(LAYER);
    assertThat(other.getAllServeEvents()).isEmpty();
  }

  @Test
  void foreignUrlsAreTriedFirstWithoutCredentialsWhenEnabled() throws Exception {
    other.stubFor(
        get(urlEqualTo("/foreign/layer")).willReturn(aResponse().withStatus(200).withBody(LAYER)));
    Descriptor foreign =
        new Descriptor(
            MediaTypes.DOCKER_LAYER_FOREIGN,
            LAYER_DESC.digest(),
            LAYER.length,
            List.of("http://localhost:" + other.getPort() + "/foreign/layer"),
            Map.of(),
            null,
            null);
    RegistryHosts hosts =
        WireMockHosts.fixed(
            WireMockHosts.host(
                wm.getPort(),
                EnumSet.allOf(HostCapability.class),
                new FixedAuthorizer("Bearer s3cret")));

    DockerFetcher fetcher =
        DockerResolver.builder()
            .hosts(hosts)
            .followForeignUrls(true)
            .build()
            .fetcher("localhost:" + wm.getPort() + "/team/app:1");

    assertThat(read(fetcher.fetch(foreign))).isEqualTo(LAYER);
    other.verify(
        getRequestedFor(urlEqualTo("/foreign/layer")).withHeader("Authorization", absent()));
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void foreignUrlsAreIgnoredByDefault() throws Exception {
    wm.stubFor(get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(200).withBody(LAYER)));
    Descriptor foreign =
        new Descriptor(
            MediaTypes.DOCKER_LAYER_FOREIGN,
            LAYER_DESC.digest(),
            LAYER.length,
            List.of("http://localhost:" + other.getPort() + "/foreign/layer"),
            Map.of(),
            null,
            null);

    assertThat(read(fetcher().fetch(foreign))).isEqualTo(LAYER);
    assertThat(other.getAllServeEvents()).isEmpty();
  }

  @Test
  void bodyCutMidStreamEndsInUnavailableAfterResumeAttempts() throws Exception {
    wm.stubFor(
        get(urlEqualTo(BLOB)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
    DockerFetcher fetcher =
        DockerResolver.builder()
            .sleeper(sleeper)
            .readIdleTimeout(Duration.ofSeconds(2))
            .build()
            .fetcher("localhost:" + wm.getPort() + "/team/app:1");

    assertThatThrownBy(() -> read(fetcher.fetch(LAYER_DESC)))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(LAYER_DESC.digest().toString());
  }

  @Test
  void connectionResetBeforeAnyReplyIsRetriedThenUnavailable() {
    wm.stubFor(
        get(urlEqualTo(BLOB)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThatThrownBy(
            () ->
                DockerResolver.builder()
                    .sleeper(sleeper)
                    .retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
                    .build()
                    .fetcher("localhost:" + wm.getPort() + "/team/app:1")
                    .fetch(LAYER_DESC))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("localhost:" + wm.getPort());
    assertThat(sleeper.waits).hasSize(1);
  }

  @Test
  void slowButSteadyBodyOutlastingTheIdleTimeoutIsNotCut() throws Exception {
    wm.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse().withStatus(200).withBody(LAYER).withChunkedDribbleDelay(18, 1800)));
    DockerFetcher fetcher =
        DockerResolver.builder()
            .sleeper(sleeper)
            .readIdleTimeout(Duration.ofMillis(700))
            .build()
            .fetcher("localhost:" + wm.getPort() + "/team/app:1");

    assertThat(read(fetcher.fetch(LAYER_DESC))).isEqualTo(LAYER);
    assertThat(sleeper.waits).isEmpty();
  }
}
