package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
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
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redirects to object storage and 401 challenges: where credentials may and may not go. */
@Timeout(30)
class RedirectAndAuthTest {

  @RegisterExtension
  static final WireMockExtension registry =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static final WireMockExtension storage =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final byte[] LAYER =
      "layer bytes served by the object store".getBytes(StandardCharsets.UTF_8);
  static final Descriptor DESC =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);
  static final String BLOB = "/v2/team/app/blobs/" + DESC.digest();

  final FixedAuthorizer auth = new FixedAuthorizer("Bearer s3cret");

  DockerFetcher fetcher() throws Exception {
    RegistryHost host =
        new RegistryHost(
            WireMockHosts.CLIENT,
            auth,
            "http",
            "localhost:" + registry.getPort(),
            "/v2",
            EnumSet.allOf(HostCapability.class),
            Map.of("X-Registry-Only", List.of("yes")));
    return DockerResolver.builder()
        .hosts(WireMockHosts.fixed(host))
        .build()
        .fetcher("localhost:" + registry.getPort() + "/team/app:1");
  }

  @Test
  void redirectToAnotherHostCarriesNoAuthorizationNorRegistryHeaders() throws Exception {
    registry.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader(
                        "Location",
                        "http://localhost:" + storage.getPort() + "/bucket/blob?X-Signature=abc")));
    storage.stubFor(
        get(urlPathEqualTo("/bucket/blob"))
            .willReturn(aResponse().withStatus(200).withBody(LAYER)));

    try (InputStream in = fetcher().fetch(DESC)) {
      assertThat(in.readAllBytes()).isEqualTo(LAYER);
    }

    registry.verify(
        getRequestedFor(urlEqualTo(BLOB))
            .withHeader("Authorization", equalTo("Bearer s3cret"))
            .withHeader("X-Registry-Only", equalTo("yes")));
    storage.verify(
        getRequestedFor(urlPathEqualTo("/bucket/blob"))
            .withQueryParam("X-Signature", equalTo("abc"))
            .withHeader("Authorization", absent())
            .withHeader("X-Registry-Only", absent()));
  }

  @Test
  void redirectWithinTheRegistryKeepsItsAuthorization() throws Exception {
    registry.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(aResponse().withStatus(308).withHeader("Location", "/v2/moved/blob")));
    registry.stubFor(
        get(urlEqualTo("/v2/moved/blob")).willReturn(aResponse().withStatus(200).withBody(LAYER)));

    try (InputStream in = fetcher().fetch(DESC)) {
      assertThat(in.readAllBytes()).isEqualTo(LAYER);
    }

    registry.verify(
        getRequestedFor(urlEqualTo("/v2/moved/blob"))
            .withHeader("Authorization", equalTo("Bearer s3cret")));
  }

  @Test
  void unauthorizedRedirectTargetIsNotAnsweredWithRegistryCredentials() {
    registry.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", "http://localhost:" + storage.getPort() + "/expired")));
    storage.stubFor(get(urlEqualTo("/expired")).willReturn(aResponse().withStatus(401)));

    assertThatThrownBy(() -> fetcher().fetch(DESC)).isInstanceOf(UnauthorizedException.class);
    assertThat(auth.challenged).isEmpty();
    storage.verify(
        1, getRequestedFor(urlEqualTo("/expired")).withHeader("Authorization", absent()));
  }

  @Test
  void rangeIsKeptAcrossTheRedirect() throws Exception {
    registry.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(
                aResponse()
                    .withStatus(302)
                    .withHeader("Location", "http://localhost:" + storage.getPort() + "/b")));
    storage.stubFor(
        get(urlEqualTo("/b"))
            .withHeader("Range", equalTo("bytes=6-"))
            .willReturn(
                aResponse()
                    .withStatus(206)
                    .withHeader(
                        "Content-Range", "bytes 6-" + (LAYER.length - 1) + "/" + LAYER.length)
                    .withBody(java.util.Arrays.copyOfRange(LAYER, 6, LAYER.length))));

    try (InputStream in = fetcher().fetch(DESC, 6)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(LAYER, 6, LAYER.length));
    }
  }

  @Test
  void redirectToAFileUrlIsRefused() {
    registry.stubFor(
        get(urlEqualTo(BLOB))
            .willReturn(aResponse().withStatus(307).withHeader("Location", "file:///etc/passwd")));

    assertThatThrownBy(() -> fetcher().fetch(DESC))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("scheme \"file\"");
  }

  @Test
  void redirectLoopStopsAfterTenHops() {
    registry.stubFor(
        get(urlEqualTo(BLOB)).willReturn(aResponse().withStatus(307).withHeader("Location", BLOB)));

    assertThatThrownBy(() -> fetcher().fetch(DESC))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("more than 10 redirects");
    registry.verify(11, getRequestedFor(urlEqualTo(BLOB)));
  }

  @Test
  void redirectTargetIsNeverSentHead() throws Exception {
    String path = "/v2/team/app/manifests/1";
    byte[] manifest =
        ("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}").getBytes(StandardCharsets.UTF_8);
    String target = "http://localhost:" + storage.getPort() + "/signed-manifest";
    registry.stubFor(
        head(urlEqualTo(path))
            .willReturn(aResponse().withStatus(307).withHeader("Location", target)));
    registry.stubFor(
        get(urlEqualTo(path))
            .willReturn(aResponse().withStatus(307).withHeader("Location", target)));
    storage.stubFor(
        get(urlEqualTo("/signed-manifest"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                    .withBody(manifest)));
    storage.stubFor(head(urlEqualTo("/signed-manifest")).willReturn(aResponse().withStatus(403)));

    Descriptor d =
        DockerResolver.builder()
            .build()
            .resolve("localhost:" + registry.getPort() + "/team/app:1")
            .descriptor();

    assertThat(d)
        .isEqualTo(
            Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length));
    storage.verify(0, headRequestedFor(anyUrl()));
  }

  @Test
  void challengeAnsweredByTheAuthorizerIsRetriedWithItsHeader() throws Exception {
    String path = "/v2/library/alpine/manifests/3.20";
    registry.stubFor(
        head(urlEqualTo(path))
            .withHeader("Authorization", absent())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", "Bearer realm=\"x\",service=\"y\"")));
    registry.stubFor(
        head(urlEqualTo(path))
            .withHeader("Authorization", equalTo("Bearer t0k3n"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", MediaTypes.OCI_INDEX)
                    .withHeader("Content-Length", "10")
                    .withHeader("Docker-Content-Digest", DESC.digest().toString())));
    LearningAuthorizer learning = new LearningAuthorizer();

    Descriptor d =
        DockerResolver.builder()
            .authorizer(h -> learning)
            .build()
            .resolve("localhost:" + registry.getPort() + "/library/alpine:3.20")
            .descriptor();

    assertThat(d.digest()).isEqualTo(DESC.digest());
    assertThat(learning.challenges).hasSize(1);
    assertThat(learning.challenges.get(0).firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(learning.requests.get(0).scopes()).containsExactly("repository:library/alpine:pull");
  }

  @Test
  void challengeTheAuthorizerGivesUpOnIsUnauthorizedWithoutRetry() {
    registry.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));

    assertThatThrownBy(() -> fetcher().fetch(DESC))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("UNAUTHORIZED: authentication required")
        .hasMessageContaining("localhost:" + registry.getPort())
        .hasMessageNotContaining("s3cret");
    registry.verify(1, anyRequestedFor(anyUrl()));
    assertThat(auth.challenged).hasSize(1);
  }

  @Test
  void secondChallengeAfterRetryIsUnauthorized() {
    registry.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)));
    LearningAuthorizer learning = new LearningAuthorizer();

    assertThatThrownBy(
            () ->
                DockerResolver.builder()
                    .authorizer(h -> learning)
                    .build()
                    .resolve("localhost:" + registry.getPort() + "/library/alpine:3.20"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("401");
    registry.verify(
        2,
        new RequestPatternBuilder(
            com.github.tomakehurst.wiremock.http.RequestMethod.HEAD, anyUrl()));
  }

  /** Learns a token from the first challenge, as a bearer authorizer would. */
  static final class LearningAuthorizer implements Authorizer {
    final List<HttpHeaders> challenges = new CopyOnWriteArrayList<>();
    final List<AuthRequest> requests = new CopyOnWriteArrayList<>();
    volatile String token;

    @Override
    public Optional<String> authorize(AuthRequest request) {
      requests.add(request);
      return Optional.ofNullable(token).map(t -> "Bearer " + t);
    }

    @Override
    public boolean onUnauthorized(AuthRequest request, HttpHeaders headers) {
      challenges.add(headers);
      token = "t0k3n";
      return true;
    }
  }
}
