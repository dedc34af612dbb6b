package dev.hoist.remotes.docker.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer token flows through the real resolver and fetcher against WireMock. */
@Timeout(30)
class DockerAuthorizerTokenTest {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String REPO = "library/alpine";
  static final byte[] LAYER = "layer-bytes".getBytes(StandardCharsets.UTF_8);
  static final Descriptor LAYER_DESC =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);

  private final AtomicInteger blobCounter = new AtomicInteger();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  String host() {
    return "localhost:" + wm.getPort();
  }

  String challenge(String extra) {
    return "Bearer realm=\""
        + wm.baseUrl()
        + "/token\",service=\"test-registry\",scope=\"repository:"
        + REPO
        + ":pull\""
        + extra;
  }

  String blobPath(Descriptor d) {
    return "/v2/" + REPO + "/blobs/" + d.digest();
  }

  void stubBlob(Descriptor d, byte[] data, String token) {
    wm.stubFor(
        get(urlPathEqualTo(blobPath(d)))
            .atPriority(10)
            .willReturn(unauthorized().withHeader("WWW-Authenticate", challenge(""))));
    wm.stubFor(
        get(urlPathEqualTo(blobPath(d)))
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer " + token))
            .willReturn(ok().withBody(data)));
  }

  byte[] fetch(DockerAuthorizer auth, Descriptor d) throws IOException {
    DockerResolver resolver = DockerResolver.builder().authorizer(h -> auth).build();
    try (InputStream in = resolver.fetcher(host() + "/" + REPO + ":latest").fetch(d)) {
      return in.readAllBytes();
    }
  }

  @Test
  void anonymousPullGetsTokenWithServiceAndScopeAndNoCredentials() throws IOException {
    stubBlob(LAYER_DESC, LAYER, "anon-token");
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"anon-token\"}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();

    assertThat(fetch(auth, LAYER_DESC)).isEqualTo(LAYER);

    List<LoggedRequest> tokenRequests = wm.findAll(getRequestedFor(urlPathEqualTo("/token")));
    assertThat(tokenRequests).hasSize(1);
    assertThat(tokenRequests.get(0).queryParameter("service").firstValue())
        .isEqualTo("test-registry");
    assertThat(tokenRequests.get(0).queryParameter("scope").values())
        .containsExactly("repository:library/alpine:pull");
    assertThat(tokenRequests.get(0).containsHeader("Authorization")).isFalse();
    assertThat(tokenRequests.get(0).getHeader("User-Agent")).isEqualTo("hoist");
  }

  @Test
  void secondBlobReusesTheCachedTokenWithoutAnotherChallenge() throws IOException {
    byte[] other = "second".getBytes(StandardCharsets.UTF_8);
    Descriptor otherDesc =
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(other), other.length);
    stubBlob(LAYER_DESC, LAYER, "tok");
    stubBlob(otherDesc, other, "tok");
    wm.stubFor(
        get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"tok\",\"expires_in\":300}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();

    fetch(auth, LAYER_DESC);
    assertThat(fetch(auth, otherDesc)).isEqualTo(other);

    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
    wm.verify(1, getRequestedFor(urlPathEqualTo(blobPath(otherDesc))));
  }

  @Test
  void oauthPostWithPasswordThenKeptRefreshTokenForTheNextScope() throws IOException {
    stubBlob(LAYER_DESC, LAYER, "access-1");
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .atPriority(5)
            .withRequestBody(containing("grant_type=password"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"access-1\",\"refresh_token\":\"refresh-1\",\"expires_in\":300}")));
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .atPriority(1)
            .withRequestBody(containing("grant_type=refresh_token"))
            .withRequestBody(containing("refresh_token=refresh-1"))
            .willReturn(okJson("{\"access_token\":\"access-2\",\"expires_in\":300}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .clock(clock)
            .credentials(CredentialsProvider.of(host(), "alice", "pa ss&word"))
            .build();

    assertThat(fetch(auth, LAYER_DESC)).isEqualTo(LAYER);
    // Another repository on the same host: a new scope, answered with the kept refresh token.
    String other =
        auth.authorize(
                new AuthRequest(
                    "GET",
                    URI.create(wm.baseUrl() + "/v2/library/other/blobs/" + LAYER_DESC.digest()),
                    List.of("repository:library/other:pull")))
            .orElseThrow();

    assertThat(other).isEqualTo("Bearer access-2");
    List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlPathEqualTo("/token")));
    assertThat(posts).hasSize(2);
    String first = posts.get(0).getBodyAsString();
    assertThat(first)
        .contains(
            "grant_type=password",
            "username=alice",
            "password=pa+ss%26word",
            "client_id=hoist",
            "access_type=offline",
            "service=test-registry",
            "scope=repository%3Alibrary%2Falpine%3Apull");
    assertThat(posts.get(0).getHeader("Content-Type"))
        .startsWith("application/x-www-form-urlencoded");
    String second = posts.get(1).getBodyAsString();
    assertThat(second)
        .contains(
            "grant_type=refresh_token",
            "refresh_token=refresh-1",
            "scope=repository%3Alibrary%2Fother%3Apull")
        .doesNotContain("password");
    wm.verify(0, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void identityTokenIsSentAsRefreshTokenGrant() throws IOException {
    stubBlob(LAYER_DESC, LAYER, "from-identity");
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .withRequestBody(containing("grant_type=refresh_token"))
            .withRequestBody(containing("refresh_token=my-identity-token"))
            .willReturn(okJson("{\"access_token\":\"from-identity\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(h -> Optional.of(Credentials.identityToken("my-identity-token")))
            .build();

    assertThat(fetch(auth, LAYER_DESC)).isEqualTo(LAYER);
    wm.verify(
        postRequestedFor(urlPathEqualTo("/token")).withRequestBody(notContaining("username")));
  }

  @Test
  void postNotFoundFallsBackToGetWithBasicAuth() throws IOException {
    stubBlob(LAYER_DESC, LAYER, "via-get");
    wm.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(404)));
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .withHeader(
                "Authorization",
                equalTo(
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString("alice:secret-pw".getBytes(StandardCharsets.UTF_8))))
            .willReturn(okJson("{\"token\":\"via-get\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "secret-pw"))
            .build();

    assertThat(fetch(auth, LAYER_DESC)).isEqualTo(LAYER);
    wm.verify(1, postRequestedFor(urlPathEqualTo("/token")));
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @ParameterizedTest(name = "POST answered {0}")
  @ValueSource(ints = {400, 401, 404, 405})
  void everyContainerdFallbackStatusLeadsToGet(int status) throws IOException {
    wm.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(status)));
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"g\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "pw"))
            .build();
    AuthRequest req = layerRequest();
    auth.onUnauthorized(req, headers(challenge("")));

    assertThat(auth.authorize(req)).contains("Bearer g");
  }

  @Test
  void postServerErrorIsUnavailableWithoutFallback() throws IOException {
    wm.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(500)));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "pw"))
            .build();
    AuthRequest req = layerRequest();
    auth.onUnauthorized(req, headers(challenge("")));

    assertThatThrownBy(() -> auth.authorize(req))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("HTTP 500");
    wm.verify(0, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void refusedKeptRefreshTokenFallsBackToThePasswordAndIsDropped() throws IOException {
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .atPriority(5)
            .withRequestBody(containing("grant_type=password"))
            .willReturn(okJson("{\"access_token\":\"a\",\"refresh_token\":\"stale-refresh\"}")));
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .atPriority(1)
            .withRequestBody(containing("grant_type=refresh_token"))
            .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "pw"))
            .build();
    prime(auth); // password grant, keeps stale-refresh
    AuthRequest other =
        new AuthRequest(
            "GET",
            URI.create(wm.baseUrl() + "/v2/library/other/blobs/" + LAYER_DESC.digest()),
            List.of("repository:library/other:pull"));

    assertThat(auth.authorize(other)).contains("Bearer a"); // refresh refused, password used again
    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo("/token"))
            .withRequestBody(containing("grant_type=refresh_token")));
    wm.verify(
        2,
        postRequestedFor(urlPathEqualTo("/token"))
            .withRequestBody(containing("grant_type=password")));
  }

  @Test
  void credentialsAreNotSentToAPlainHttpRealmUnlessConfigured() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"anon\"}")));
    DockerAuthorizer strict =
        DockerAuthorizer.builder()
            .plainHttpLoopback(false)
            .credentials(CredentialsProvider.of(host(), "alice", "pw"))
            .build();
    AuthRequest req = layerRequest();
    strict.onUnauthorized(req, headers(challenge("")));

    assertThat(strict.authorize(req)).contains("Bearer anon");
    wm.verify(0, postRequestedFor(urlPathEqualTo("/token")));
    wm.verify(getRequestedFor(urlPathEqualTo("/token")).withoutHeader("Authorization"));
  }

  @Test
  void passwordsGoStraightToGetWhenOauthIsOff() throws IOException {
    stubBlob(LAYER_DESC, LAYER, "get-only");
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .withHeader("Authorization", containing("Basic "))
            .willReturn(okJson("{\"token\":\"get-only\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .oauthForPasswords(false)
            .credentials(CredentialsProvider.of(host(), "alice", "pw"))
            .build();

    assertThat(fetch(auth, LAYER_DESC)).isEqualTo(LAYER);
    wm.verify(0, postRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void tokenWithoutExpiresInIsRenewedAfterTheSixtySecondDefault() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();
    prime(auth);

    clock.advance(Duration.ofSeconds(50));
    authorizeLayer(auth);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));

    clock.advance(Duration.ofSeconds(6)); // 56 s: inside the 5 s renewal margin of 60 s
    authorizeLayer(auth);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void shortExpiresInIsRaisedToSixtySecondsAndIssuedAtIsHonoured() throws IOException {
    // issued 100 s ago by our clock, valid 300 s: 200 s left, renewed 5 s early.
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .willReturn(
                okJson(
                    "{\"token\":\"t\",\"expires_in\":300,\"issued_at\":\"2025-12-31T23:58:20Z\"}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();
    prime(auth);

    clock.advance(Duration.ofSeconds(194));
    authorizeLayer(auth);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
    clock.advance(Duration.ofSeconds(2));
    authorizeLayer(auth);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));

    wm.resetRequests();
    wm.stubFor(
        get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\",\"expires_in\":5}")));
    DockerAuthorizer shortLived = DockerAuthorizer.builder().clock(clock).build();
    prime(shortLived);
    clock.advance(Duration.ofSeconds(30));
    authorizeLayer(shortLived);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void invalidTokenChallengeDropsTheCachedTokenAndFetchesAFreshOne() throws IOException {
    wm.stubFor(
        get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\",\"expires_in\":3600}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();
    prime(auth);
    AuthRequest req = layerRequest();
    auth.authorize(req);

    boolean retry = auth.onUnauthorized(req, headers(challenge(",error=\"invalid_token\"")));

    assertThat(retry).isTrue();
    auth.authorize(req);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void lateFirstChallengeOfARequestSentWithoutTokenKeepsTheTokenFetchedMeanwhile()
      throws IOException {
    wm.stubFor(
        get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\",\"expires_in\":300}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();
    AuthRequest a = layerRequest();
    AuthRequest b =
        new AuthRequest(
            "GET",
            URI.create(wm.baseUrl() + "/v2/" + REPO + "/blobs/sha256:" + "b".repeat(64)),
            List.of("repository:" + REPO + ":pull"));
    assertThat(auth.authorize(a)).isEmpty();
    assertThat(auth.authorize(b)).isEmpty();

    assertThat(auth.onUnauthorized(a, headers(challenge("")))).isTrue();
    assertThat(auth.authorize(a)).contains("Bearer t");
    assertThat(auth.onUnauthorized(b, headers(challenge("")))).isTrue(); // raced, carried no token
    assertThat(auth.authorize(b)).contains("Bearer t");

    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void tokenRefusedWithoutErrorParameterIsReplacedOnRetry() throws IOException {
    wm.stubFor(
        get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\",\"expires_in\":300}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().clock(clock).build();
    prime(auth);
    AuthRequest other =
        new AuthRequest(
            "GET",
            URI.create(wm.baseUrl() + "/v2/" + REPO + "/manifests/latest"),
            List.of("repository:" + REPO + ":pull"));
    assertThat(auth.authorize(other)).contains("Bearer t");

    assertThat(auth.onUnauthorized(other, headers(challenge("")))).isTrue();
    auth.authorize(other);

    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void secondUnauthorizedAfterAFreshTokenIsPullAccessDenied() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "hunter2"))
            .build();
    AuthRequest req = layerRequest();
    wm.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson("{\"access_token\":\"t\"}")));

    assertThat(auth.authorize(req)).isEmpty();
    assertThat(auth.onUnauthorized(req, headers(challenge("")))).isTrue();
    assertThat(auth.authorize(req)).contains("Bearer t");

    assertThatThrownBy(
            () -> auth.onUnauthorized(req, headers(challenge(",error=\"insufficient_scope\""))))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("pull access denied for library/alpine on " + host())
        .hasMessageContaining("insufficient_scope")
        .hasMessageContaining("user alice")
        .hasMessageContaining("repository does not exist or may require authorization")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void requestScopeIsMergedWithTheChallengeScopeSortedAndDeduplicated() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().build();
    AuthRequest req = layerRequest();
    String wide =
        "Bearer realm=\""
            + wm.baseUrl()
            + "/token\",service=\"s\",scope=\"repository:library/alpine:pull repository:aaa/base:pull repository:library/alpine:pull\"";

    auth.onUnauthorized(req, headers(wide));
    auth.authorize(req);

    LoggedRequest r = wm.findAll(getRequestedFor(urlPathEqualTo("/token"))).get(0);
    assertThat(r.queryParameter("scope").values())
        .containsExactly("repository:aaa/base:pull", "repository:library/alpine:pull");
  }

  @Test
  void configuredHeadersAndUserAgentReachTheTokenServer() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder().userAgent("acme/1.0").header("X-Tenant", "blue").build();
    prime(auth);

    wm.verify(
        getRequestedFor(urlPathEqualTo("/token"))
            .withHeader("User-Agent", equalTo("acme/1.0"))
            .withHeader("X-Tenant", equalTo("blue")));
  }

  @Test
  void nonJsonTokenResponseIsInvalidArgumentNamingTheRealmHost() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(ok("<html>login</html>")));
    DockerAuthorizer auth = DockerAuthorizer.builder().build();
    AuthRequest req = layerRequest();
    auth.onUnauthorized(req, headers(challenge("")));

    assertThatThrownBy(() -> auth.authorize(req))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("token response from " + host())
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void tokenResponseWithoutTokenIsInvalidArgument() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"expires_in\":60}")));
    DockerAuthorizer auth = DockerAuthorizer.builder().build();
    AuthRequest req = layerRequest();
    auth.onUnauthorized(req, headers(challenge("")));

    assertThatThrownBy(() -> auth.authorize(req))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("has no token");
  }

  @Test
  void overloadedTokenServerIsUnavailable() throws IOException {
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(503)));
    DockerAuthorizer auth = DockerAuthorizer.builder().build();
    AuthRequest req = layerRequest();
    auth.onUnauthorized(req, headers(challenge("")));

    assertThatThrownBy(() -> auth.authorize(req))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("HTTP 503");
    // A failed fetch is not cached: the next attempt asks again.
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"t\"}")));
    assertThat(auth.authorize(req)).contains("Bearer t");
  }

  @Test
  void bearerChallengeWithoutAbsoluteRealmIsInvalidArgument() {
    DockerAuthorizer auth = DockerAuthorizer.builder().build();

    assertThatThrownBy(
            () -> auth.onUnauthorized(layerRequest(), headers("Bearer realm=\"/token\",service=s")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(host())
        .hasMessageContaining("/token");
  }

  @Test
  void unsupportedSchemeGivesUp() throws IOException {
    DockerAuthorizer auth = DockerAuthorizer.builder().build();

    assertThat(auth.onUnauthorized(layerRequest(), headers("Negotiate abc=="))).isFalse();
    assertThat(auth.onUnauthorized(layerRequest(), headers())).isFalse();
  }

  // --- helpers

  AuthRequest layerRequest() {
    return new AuthRequest(
        "GET",
        URI.create(wm.baseUrl() + blobPath(LAYER_DESC)),
        List.of("repository:" + REPO + ":pull"));
  }

  void prime(DockerAuthorizer auth) throws IOException {
    AuthRequest req = layerRequest();
    assertThat(auth.onUnauthorized(req, headers(challenge("")))).isTrue();
    assertThat(auth.authorize(req)).isPresent();
  }

  void authorizeLayer(DockerAuthorizer auth) throws IOException {
    // A different blob each time, so that the retry bookkeeping of one request does not interfere.
    AuthRequest req =
        new AuthRequest(
            "GET",
            URI.create(
                wm.baseUrl()
                    + "/v2/"
                    + REPO
                    + "/blobs/sha256:"
                    + String.format("%064x", blobCounter.incrementAndGet())),
            List.of("repository:" + REPO + ":pull"));
    assertThat(auth.authorize(req)).isPresent();
  }

  static HttpHeaders headers(String... wwwAuthenticate) {
    return HttpHeaders.of(
        wwwAuthenticate.length == 0
            ? Map.of()
            : Map.of("WWW-Authenticate", List.of(wwwAuthenticate)),
        (a, b) -> true);
  }
}
