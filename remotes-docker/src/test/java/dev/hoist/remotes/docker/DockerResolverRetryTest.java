package dev.hoist.remotes.docker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.digest.Digest;
import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.Resolved;
import dev.hoist.spec.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries of 429, 5xx and {@code Retry-After} while resolving: the sleeper records, nothing sleeps.
 */
@Timeout(30)
class DockerResolverRetryTest {

  @RegisterExtension
  static final WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static final WireMockExtension mirror =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final byte[] INDEX = DockerResolverTest.INDEX;
  static final Digest INDEX_DIGEST = DockerResolverTest.INDEX_DIGEST;
  static final String PATH = DockerResolverTest.PATH;

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
  void retriesTooManyRequestsAfterTheRetryAfterDelay() throws Exception {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("busy")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7"))
            .willSetStateTo("calm"));
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("busy")
            .whenScenarioStateIs("calm")
            .willReturn(okIndexHead()));

    Resolved r = resolver().build().resolve(ref());

    assertThat(r.descriptor().digest()).isEqualTo(INDEX_DIGEST);
    assertThat(sleeper.waits).containsExactly(java.time.Duration.ofSeconds(7));
  }

  @Test
  void retriesServiceUnavailableWithBackoffThenSucceeds() throws Exception {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okIndexHead()));

    Resolved r = resolver().build().resolve(ref());

    assertThat(r.descriptor().digest()).isEqualTo(INDEX_DIGEST);
    assertThat(sleeper.waits).hasSize(1);
    assertThat(sleeper.waits.get(0))
        .isBetween(java.time.Duration.ofMillis(160), java.time.Duration.ofMillis(240));
  }

  @Test
  void persistentServiceUnavailableFailsNamingHostAndStatus() {
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));

    assertThatThrownBy(
            () ->
                resolver()
                    .retryPolicy(RetryPolicy.builder().maxAttempts(3).seed(1).build())
                    .build()
                    .resolve(ref()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("localhost:" + wm.getPort())
        .hasMessageContaining("503");
    wm.verify(3, headRequestedFor(urlEqualTo(PATH)));
    assertThat(sleeper.waits).hasSize(2);
  }

  @Test
  void retryAfterLongerThanTheRetryBudgetFailsWithoutWaiting() {
    wm.stubFor(
        head(urlEqualTo(PATH))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

    assertThatThrownBy(() -> resolver().build().resolve(ref()))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("429")
        .hasMessageContaining("retry budget");
    assertThat(sleeper.waits).isEmpty();
    wm.verify(1, headRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void retryAfterAsHttpDateIsMeasuredWithTheInjectedClock() throws Exception {
    java.time.Clock clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-01-02T03:04:05Z"), java.time.ZoneOffset.UTC);
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("date")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Retry-After", "Fri, 02 Jan 2026 03:04:50 GMT"))
            .willSetStateTo("ok"));
    wm.stubFor(
        head(urlEqualTo(PATH))
            .inScenario("date")
            .whenScenarioStateIs("ok")
            .willReturn(okIndexHead()));

    resolver()
        .retryPolicy(RetryPolicy.builder().clock(clock).seed(1).build())
        .build()
        .resolve(ref());

    assertThat(sleeper.waits).containsExactly(java.time.Duration.ofSeconds(45));
  }

  @Test
  void overloadedMirrorHandsOverToTheNextHostWithoutBackoff() throws Exception {
    mirror.stubFor(head(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
    wm.stubFor(head(urlEqualTo(PATH)).willReturn(okIndexHead()));
    RegistryHosts hosts =
        WireMockHosts.fixed(WireMockHosts.host(mirror.getPort()), WireMockHosts.host(wm.getPort()));

    Resolved r = resolver().hosts(hosts).build().resolve(ref());

    assertThat(r.descriptor().digest()).isEqualTo(INDEX_DIGEST);
    assertThat(sleeper.waits).isEmpty();
    mirror.verify(1, headRequestedFor(urlPathEqualTo(PATH)));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okIndexHead() {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", MediaTypes.OCI_INDEX)
        .withHeader("Content-Length", Integer.toString(INDEX.length))
        .withHeader("Docker-Content-Digest", INDEX_DIGEST.toString());
  }
}
