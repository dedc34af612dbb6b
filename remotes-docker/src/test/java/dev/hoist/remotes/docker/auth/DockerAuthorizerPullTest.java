package dev.hoist.remotes.docker.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.hoist.digest.Digest;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.DockerFetcher;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Multi-blob pulls through the resolver's fetcher with token auth, against WireMock. */
@Timeout(30)
class DockerAuthorizerPullTest {

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension cdn =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String REPO = "team/app";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  String host() {
    return "localhost:" + wm.getPort();
  }

  String challenge() {
    return "Bearer realm=\""
        + wm.baseUrl()
        + "/token\",service=\"reg\",scope=\"repository:"
        + REPO
        + ":pull\"";
  }

  static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  String path(Descriptor d) {
    return "/v2/" + REPO + "/blobs/" + d.digest();
  }

  /** A blob served to any request whose Authorization matches {@code tokenRegex}; 401 otherwise. */
  void stubBlob(Descriptor d, byte[] data, String tokenRegex) {
    wm.stubFor(
        get(urlPathEqualTo(path(d)))
            .atPriority(10)
            .willReturn(unauthorized().withHeader("WWW-Authenticate", challenge())));
    wm.stubFor(
        get(urlPathEqualTo(path(d)))
            .atPriority(5)
            .withHeader("Authorization", matching("Bearer " + tokenRegex))
            .willReturn(ok().withBody(data)));
  }

  DockerFetcher fetcher(DockerAuthorizer auth) throws IOException {
    return DockerResolver.builder()
        .authorizer(h -> auth)
        .build()
        .fetcher(host() + "/" + REPO + ":v1");
  }

  static byte[] read(DockerFetcher f, Descriptor d) throws IOException {
    try (InputStream in = f.fetch(d)) {
      return in.readAllBytes();
    }
  }

  @Test
  void tokenExpiringDuringAMultiLayerPullIsRenewedBeforeUse() throws IOException {
    byte[][] data = {bytes("layer-one"), bytes("layer-two"), bytes("layer-three")};
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"token\":\"t1\",\"expires_in\":300}"))
            .willSetStateTo("second"));
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(okJson("{\"token\":\"t2\",\"expires_in\":300}")));
    for (byte[] d : data) {
      stubBlob(layer(d), d, "t[12]");
    }
    DockerFetcher f = fetcher(DockerAuthorizer.builder().clock(clock).build());

    assertThat(read(f, layer(data[0]))).isEqualTo(data[0]);
    clock.advance(Duration.ofSeconds(400)); // the pull goes on longer than the token lives
    assertThat(read(f, layer(data[1]))).isEqualTo(data[1]);
    assertThat(read(f, layer(data[2]))).isEqualTo(data[2]);

    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
    List<LoggedRequest> second = wm.findAll(getRequestedFor(urlPathEqualTo(path(layer(data[1])))));
    assertThat(second).hasSize(1); // renewed before use: no 401 round trip
    assertThat(second.get(0).getHeader("Authorization")).isEqualTo("Bearer t2");
  }

  @Test
  void tokenTheRegistryExpiredEarlyIsReplacedAfterInvalidTokenChallenge() throws IOException {
    byte[] a = bytes("layer-a");
    byte[] b = bytes("layer-b");
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"token\":\"old\",\"expires_in\":3600}"))
            .willSetStateTo("second"));
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(okJson("{\"token\":\"new\",\"expires_in\":3600}")));
    stubBlob(layer(a), a, "old");
    wm.stubFor(
        get(urlPathEqualTo(path(layer(b))))
            .atPriority(10)
            .willReturn(
                unauthorized()
                    .withHeader("WWW-Authenticate", challenge() + ",error=\"invalid_token\"")));
    wm.stubFor(
        get(urlPathEqualTo(path(layer(b))))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer new"))
            .willReturn(ok().withBody(b)));
    DockerFetcher f = fetcher(DockerAuthorizer.builder().clock(clock).build());

    assertThat(read(f, layer(a))).isEqualTo(a);
    assertThat(read(f, layer(b))).isEqualTo(b);

    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void concurrentLayersShareOneTokenRequest() throws Exception {
    int n = 8;
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(bytes("concurrent-layer-" + i));
      stubBlob(layer(data.get(i)), data.get(i), "shared");
    }
    // A slow token server widens the window in which every layer waits for the same fetch.
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .willReturn(okJson("{\"token\":\"shared\",\"expires_in\":300}").withFixedDelay(300)));
    DockerFetcher f = fetcher(DockerAuthorizer.builder().clock(clock).build());
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (byte[] d : data) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return read(f, layer(d));
                }));
      }
      for (int i = 0; i < n; i++) {
        assertThat(results.get(i).get()).isEqualTo(data.get(i));
      }
    } finally {
      pool.shutdownNow();
    }

    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void redirectToAnotherHostCarriesNoAuthorization() throws IOException {
    byte[] data = bytes("redirected-layer");
    Descriptor d = layer(data);
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson("{\"token\":\"reg-token\"}")));
    wm.stubFor(
        get(urlPathEqualTo(path(d)))
            .atPriority(10)
            .willReturn(unauthorized().withHeader("WWW-Authenticate", challenge())));
    wm.stubFor(
        get(urlPathEqualTo(path(d)))
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer reg-token"))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", cdn.baseUrl() + "/storage/blob?sig=abc")));
    cdn.stubFor(get(urlPathEqualTo("/storage/blob")).willReturn(ok().withBody(data)));

    assertThat(read(fetcher(DockerAuthorizer.builder().build()), d)).isEqualTo(data);

    List<LoggedRequest> atCdn = cdn.findAll(getRequestedFor(urlPathEqualTo("/storage/blob")));
    assertThat(atCdn).hasSize(1);
    assertThat(atCdn.get(0).containsHeader("Authorization")).isFalse();
  }

  @Test
  void wrongPasswordIsAClearUnauthorizedAndTheSecretIsNeverLoggedOrShown() throws IOException {
    String secret = "hunter2-very-secret";
    String basic = Base64.getEncoder().encodeToString(bytes("alice:" + secret));
    byte[] data = bytes("private-layer");
    stubBlob(layer(data), data, "never");
    wm.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":\"invalid_grant\",\"error_description\":\"bad password "
                            + secret
                            + "\"}")));
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
    DockerAuthorizer auth =
        DockerAuthorizer.builder()
            .credentials(CredentialsProvider.of(host(), "alice", secret))
            .build();
    assertThat(LoggerFactory.getLogger(DockerAuthorizer.class).isDebugEnabled())
        .as("surefire turns on debug logging for the auth package")
        .isTrue();

    Throwable thrown;
    String log;
    try (StderrCapture capture = new StderrCapture()) {
      DockerFetcher f = fetcher(auth);
      thrown = org.assertj.core.api.Assertions.catchThrowable(() -> read(f, layer(data)));
      log = capture.text();
    }

    assertThat(thrown)
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("authentication failed for " + REPO + " on " + host())
        .hasMessageContaining("HTTP 401");
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(secret).doesNotContain(basic);
    assertThat(log).contains("token").doesNotContain(secret).doesNotContain(basic);
    assertThat(auth.toString()).doesNotContain(secret);
  }
}
