package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.Resolved;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resolving tags and digests against WireMock: the HEAD/GET protocol of the distribution spec. */
@Timeout(30)
class DockerResolverTest {

  @RegisterExtension
  static final WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static final WireMockExtension mirror =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final byte[] INDEX =
      ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}")
          .getBytes(StandardCharsets.UTF_8);
  static final Digest INDEX_DIGEST = Digest.sha256(INDEX);
  static final String PATH = "/v2/library/alpine/manifests/3.20";

  final RecordingSleeper sleeper = new RecordingSleeper();

  String ref() {
    return "localhost:" + wm.getPort() + "/library/alpine:3.20";
  }

  DockerResolver.Builder resolver() {
    return DockerResolver.builder()
        .sleeper(sleeper)
        .retryPolicy(RetryPolicy.builder().seed(7).build());
  }

  @Test
  void headWithAllHeadersResolvesWithoutGet() throws Exception {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX + "; charset=utf-8")
                    .withHeader("Content-Length", Integer.toString(INDEX.length))
                    .withHeader("Docker-Content-Digest", INDEX_DIGEST.toString())));

    Resolved r = resolver().build().resolve(ref());

    assertThat(r.name()).isEqualTo(ref());
    assertThat(r.descriptor())
        .isEqualTo(Descriptor.of(MediaTypes.OCI_INDEX, INDEX_DIGEST, INDEX.length));
    wm.verify(0, getRequestedFor(urlEqualTo(PATH)));
    wm.verify(
        headRequestedFor(urlEqualTo(PATH))
            .withHeader(
                "Accept",
                equalTo(
                    MediaTypes.DOCKER_MANIFEST
                        + ", "
                        + MediaTypes.DOCKER_MANIFEST_LIST
                        + ", "
                        + MediaTypes.OCI_MANIFEST
                        + ", "
                        + MediaTypes.OCI_INDEX
                        + ", */*"))
            .withHeader(
                "User-Agent",
                com.github.tomakehurst.wiremock.client.WireMock.matching("hoist/[0-9][^ ]*")));
  }

  @Test
  void headWithoutDigestHeaderFallsBackToGetAndHashesTheBody() throws Exception {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", MediaTypes.OCI_INDEX)));
    wm.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withBody(INDEX)));

    Resolved r = resolver().build().resolve(ref());

    assertThat(r.descriptor())
        .isEqualTo(Descriptor.of(MediaTypes.OCI_INDEX, INDEX_DIGEST, INDEX.length));
    wm.verify(1, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void headRefusedWith405FallsBackToGet() throws Exception {
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(405)));
    wm.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Docker-Content-Digest", INDEX_DIGEST.toString())
                    .withBody(INDEX)));

    assertThat(resolver().build().resolve(ref()).descriptor().digest()).isEqualTo(INDEX_DIGEST);
  }

  @Test
  void getWithoutContentTypeTakesTheMediaTypeFromTheBody() throws Exception {
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(405)));
    wm.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(INDEX)));

    assertThat(resolver().build().resolve(ref()).descriptor().mediaType())
        .isEqualTo(MediaTypes.OCI_INDEX);
  }

  @Test
  void digestHeaderThatDisagreesWithTheBodyFails() {
    Digest other = Digest.sha256("something else");
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(405)));
    wm.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Docker-Content-Digest", other.toString())
                    .withBody(INDEX)));

    assertThatThrownBy(() -> resolver().build().resolve(ref()))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(INDEX_DIGEST.toString())
        .hasMessageContaining(other.toString());
  }

  @Test
  void digestReferenceRefusesAHeaderWithAnotherDigest() {
    Digest other = Digest.sha256("something else");
    String path = "/v2/library/alpine/manifests/" + INDEX_DIGEST;
    wm.stubFor(
        head(urlEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Content-Length", Integer.toString(INDEX.length))
                    .withHeader("Docker-Content-Digest", other.toString())));

    assertThatThrownBy(
            () ->
                resolver()
                    .build()
                    .resolve("localhost:" + wm.getPort() + "/library/alpine@" + INDEX_DIGEST))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining(other.toString());
  }

  @Test
  void malformedDigestHeaderIsInvalidArgument() {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Content-Length", "10")
                    .withHeader("Docker-Content-Digest", "sha256:../../etc/passwd")));

    assertThatThrownBy(() -> resolver().build().resolve(ref()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Docker-Content-Digest");
  }

  @Test
  void oversizeManifestByContentLengthIsRefused() {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Content-Length", "5000000")
                    .withHeader("Docker-Content-Digest", INDEX_DIGEST.toString())));

    assertThatThrownBy(() -> resolver().build().resolve(ref()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("4393216");
  }

  @Test
  void oversizeManifestWithoutContentLengthStopsReadingAtTheLimit() {
    byte[] big = new byte[4096];
    java.util.Arrays.fill(big, (byte) ' ');
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(405)));
    wm.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withBody(big)
                    .withChunkedDribbleDelay(4, 20))); // chunked: no Content-Length

    assertThatThrownBy(() -> resolver().maxManifestBytes(1000).build().resolve(ref()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("limit of 1000 bytes");
  }

  @Test
  void notFoundNamesTheReference() {
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(404)));

    assertThatThrownBy(() -> resolver().build().resolve(ref()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(ref());
  }

  @Test
  void digestReferenceTriesManifestsThenBlobs() throws Exception {
    String ref = "localhost:" + wm.getPort() + "/library/alpine@" + INDEX_DIGEST;
    wm.stubFor(
        head(urlEqualTo("/v2/library/alpine/manifests/" + INDEX_DIGEST))
            .willReturn(aResponse().withStatus(404)));
    wm.stubFor(
        head(urlEqualTo("/v2/library/alpine/blobs/" + INDEX_DIGEST))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/octet-stream")
                    .withHeader("Content-Length", Integer.toString(INDEX.length))));

    Resolved r = resolver().build().resolve(ref);

    assertThat(r.descriptor())
        .isEqualTo(Descriptor.of("application/octet-stream", INDEX_DIGEST, INDEX.length));
  }

  @Test
  void mirrorRequestsCarryTheNamespaceQuery() throws Exception {
    mirror.stubFor(head(urlPathEqualTo(PATH)).willReturn(okIndexHead()));
    RegistryHosts hosts = WireMockHosts.fixed(WireMockHosts.host(mirror.getPort()));

    resolver().hosts(hosts).build().resolve("registry.example.com/library/alpine:3.20");

    mirror.verify(headRequestedFor(urlEqualTo(PATH + "?ns=registry.example.com")));
  }

  @Test
  void notFoundOnTheMirrorMovesToTheNextHost() throws Exception {
    mirror.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404)));
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(okIndexHead()));
    RegistryHosts hosts =
        WireMockHosts.fixed(WireMockHosts.host(mirror.getPort()), WireMockHosts.host(wm.getPort()));

    Resolved r = resolver().hosts(hosts).build().resolve(ref());

    assertThat(r.descriptor().digest()).isEqualTo(INDEX_DIGEST);
  }

  @Test
  void firstNonNotFoundErrorIsReportedWhenNoHostHasTheReference() {
    mirror.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(404)));
    RegistryHosts hosts =
        WireMockHosts.fixed(WireMockHosts.host(mirror.getPort()), WireMockHosts.host(wm.getPort()));

    assertThatThrownBy(
            () -> resolver().retryPolicy(RetryPolicy.none()).hosts(hosts).build().resolve(ref()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("localhost:" + mirror.getPort())
        .hasMessageContaining("500");
  }

  @Test
  void tagIsResolvedOnlyByHostsWithTheResolveCapability() throws Exception {
    mirror.stubFor(head(urlPathEqualTo(PATH)).willReturn(okIndexHead()));
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(okIndexHead()));
    RegistryHosts hosts =
        WireMockHosts.fixed(
            WireMockHosts.host(mirror.getPort(), EnumSet.of(HostCapability.PULL)),
            WireMockHosts.host(wm.getPort()));

    resolver().hosts(hosts).build().resolve(ref());

    assertThat(mirror.getAllServeEvents()).isEmpty();
    wm.verify(1, headRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void noHostAllowedToResolveIsNotFound() {
    RegistryHosts hosts =
        WireMockHosts.fixed(WireMockHosts.host(wm.getPort(), EnumSet.of(HostCapability.PUSH)));

    assertThatThrownBy(() -> resolver().hosts(hosts).build().resolve(ref()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(ref());
  }

  @Test
  void malformedReferenceIsInvalidArgument() {
    assertThatThrownBy(() -> resolver().build().resolve("localhost:1/UPPER CASE:tag"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> resolver().build().resolve(null))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void builderRejectsBadOptions() {
    assertThatThrownBy(() -> DockerResolver.builder().userAgent("bad\r\nX-Injected: 1"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> DockerResolver.builder().maxManifestBytes(0))
        .isInstanceOf(dev.hoist.errors.InvalidArgumentException.class);
    assertThatThrownBy(() -> DockerResolver.builder().readIdleTimeout(java.time.Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(
            () -> DockerResolver.builder().connectTimeout(java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidArgumentException.class);
    // One rule: bad values are InvalidArgumentException; options that conflict are refused, not
    // dropped.
    assertThatThrownBy(
            () ->
                DockerResolver.builder()
                    .hosts(DockerHosts.defaults())
                    .authorizer(h -> Authorizer.NONE)
                    .build())
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("with hosts(...)");
  }

  @Test
  void customUserAgentIsSent() throws Exception {
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(okIndexHead()));

    resolver().userAgent("acme-deployer/2.3").build().resolve(ref());

    wm.verify(
        headRequestedFor(urlEqualTo(PATH)).withHeader("User-Agent", equalTo("acme-deployer/2.3")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okIndexHead() {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", MediaTypes.OCI_INDEX)
        .withHeader("Content-Length", Integer.toString(INDEX.length))
        .withHeader("Docker-Content-Digest", INDEX_DIGEST.toString());
  }
}
