package dev.hoist.remotes.docker.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.digest.Digest;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Basic challenges: credentials only for the asking host, only where plain HTTP is allowed. */
@Timeout(30)
class DockerAuthorizerBasicTest {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String REPO = "team/app";
  static final byte[] DATA = "basic-layer".getBytes(StandardCharsets.UTF_8);
  static final Descriptor DESC =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(DATA), DATA.length);
  static final String SECRET = "correct-horse";

  String host() {
    return "localhost:" + wm.getPort();
  }

  String path() {
    return "/v2/" + REPO + "/blobs/" + DESC.digest();
  }

  static String basic(String user, String pw) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
  }

  void stubRegistry() {
    wm.stubFor(
        get(anyUrl())
            .atPriority(10)
            .willReturn(unauthorized().withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));
    wm.stubFor(
        get(urlPathEqualTo(path()))
            .atPriority(1)
            .withHeader("Authorization", equalTo(basic("alice", SECRET)))
            .willReturn(ok().withBody(DATA)));
  }

  byte[] fetch(DockerAuthorizer auth) throws IOException {
    DockerResolver r = DockerResolver.builder().authorizer(h -> auth).build();
    try (InputStream in = r.fetcher(host() + "/" + REPO + ":v1").fetch(DESC)) {
      return in.readAllBytes();
    }
  }

  AuthRequest request() {
    return new AuthRequest(
        "GET", URI.create(wm.baseUrl() + path()), List.of("repository:" + REPO + ":pull"));
  }

  static HttpHeaders basicChallenge() {
    return HttpHeaders.of(
        Map.of("WWW-Authenticate", List.of("Basic realm=\"registry\"")), (a, b) -> true);
  }

  @Test
  void basicChallengeIsAnsweredWithTheHostsCredentials() throws IOException {
    stubRegistry();
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", SECRET))
            .build();

    assertThat(fetch(auth)).isEqualTo(DATA);
    // Once the host is known to want Basic, later requests carry it from the start.
    assertThat(auth.authorize(request())).contains(basic("alice", SECRET));
    assertThat(
            auth.authorize(
                new AuthRequest("GET", URI.create("http://localhost:1/v2/x/blobs/y"), List.of())))
        .as("another host never gets this host's credentials")
        .isEmpty();
  }

  @Test
  void credentialsAreLookedUpOncePerChallengeNotPerRequest() throws IOException {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    CredentialsProvider counting =
        h -> {
          lookups.incrementAndGet();
          return java.util.Optional.of(Credentials.of("alice", SECRET));
        };
    DockerAuthorizer auth = DockerAuthorizer.builder().credentials(counting).build();
    auth.onUnauthorized(request(), basicChallenge());

    for (int i = 0; i < 5; i++) {
      assertThat(auth.authorize(request())).contains(basic("alice", SECRET));
    }
    assertThat(lookups).hasValue(1);
    assertThat(auth.toString()).doesNotContain(SECRET).contains("basic");
  }

  @Test
  void wrongPasswordIsUnauthorizedWithoutTheSecret() throws IOException {
    stubRegistry();
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", "wrong-" + SECRET))
            .build();

    assertThatThrownBy(() -> fetch(auth))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void secondBasicRefusalOfTheSameRequestIsPullAccessDenied() throws IOException {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", SECRET))
            .build();
    AuthRequest req = request();

    assertThat(auth.onUnauthorized(req, basicChallenge())).isTrue();
    assertThat(auth.authorize(req)).isPresent();

    assertThatThrownBy(() -> auth.onUnauthorized(req, basicChallenge()))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessage(
            "pull access denied for "
                + REPO
                + " on "
                + host()
                + ": registry answered 401 to the basic authorization for user alice"
                + " (repository does not exist or may require authorization)");
  }

  @Test
  void aLaterNewAttemptOfTheSameRequestGetsItsOwnRetry() throws IOException {
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", SECRET))
            .build();
    AuthRequest req = request();
    auth.onUnauthorized(req, basicChallenge());
    auth.authorize(req); // the retry, which succeeded

    auth.authorize(req); // a new attempt later
    assertThat(auth.onUnauthorized(req, basicChallenge())).isTrue();
  }

  @Test
  void basicCredentialsAreNotSentOverPlainHttpUnlessTheHostIsConfiguredForIt() throws IOException {
    stubRegistry();
    DockerAuthorizer strict =
        DockerAuthorizer.builder()
            .plainHttpLoopback(false)
            .credentials(CredentialsProvider.of(host(), "alice", SECRET))
            .build();

    assertThat(strict.onUnauthorized(request(), basicChallenge())).isFalse();
    assertThatThrownBy(() -> fetch(strict)).isInstanceOf(UnauthorizedException.class);
    wm.verify(
        0, anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo(basic("alice", SECRET))));

    DockerAuthorizer configured =
        DockerAuthorizer.builder()
            .plainHttpLoopback(false)
            .plainHttpHosts(host())
            .credentials(CredentialsProvider.of(host(), "alice", SECRET))
            .build();
    assertThat(fetch(configured)).isEqualTo(DATA);
  }

  @Test
  void basicChallengeWithoutCredentialsGivesUp() throws IOException {
    stubRegistry();
    DockerAuthorizer anonymous = DockerAuthorizer.builder().build();

    assertThat(anonymous.onUnauthorized(request(), basicChallenge())).isFalse();
    assertThatThrownBy(() -> fetch(anonymous)).isInstanceOf(UnauthorizedException.class);
    wm.verify(
        0,
        getRequestedFor(anyUrl())
            .withHeader(
                "Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.containing("Basic")));
  }
}
