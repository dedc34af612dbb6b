package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Credentials go only to the host they belong to, across redirects and mirrors, and never reach the
 * log (captured from slf4j-simple, which this module runs at debug for {@code dev.hoist}),
 * exception messages or {@code toString()}.
 */
@Timeout(60)
class CredentialLeakHostileInputTest {

  private static final String USER = "alice";
  private static final String SECRET = "s3cr3t-Pa55-xyzzy-42";
  private static final String HEADER =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((USER + ":" + SECRET).getBytes(StandardCharsets.UTF_8));

  private TestRegistry origin;
  private TestRegistry other;
  private TestImage image;
  private PrintStream savedErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    origin = TestRegistry.builder().basicAuth(USER, SECRET).start();
    other = TestRegistry.start();
    image = GeneratedImages.random(ImageSpec.builder().layers(2, 4096).seed(61).build());
    origin.push("team/app:1", image);
    other.push("team/app:1", image);
    savedErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setErr(savedErr);
    origin.close();
    other.close();
  }

  /**
   * Hoist's own authorizer, shared by every host, with credentials for {@code host} only (as a
   * Docker config hands them out): whether they stay on that host is up to the library.
   */
  private Function<String, Authorizer> credentialsFor(String host) {
    Authorizer shared =
        DockerAuthorizer.builder().credentials(CredentialsProvider.of(host, USER, SECRET)).build();
    return h -> shared;
  }

  private RegistryHost host(HttpClient http, TestRegistry r, Function<String, Authorizer> creds) {
    return new RegistryHost(
        TransportOptions.jdk(http),
        creds.apply(r.host()),
        "http",
        r.host(),
        "/v2",
        EnumSet.of(HostCapability.PULL, HostCapability.RESOLVE),
        Map.of());
  }

  @Test
  void redirectToAnotherHostCarriesNoAuthorization() {
    origin.faults().add(FaultRule.on("GET", "/blobs/").inject(Fault.redirectTo(other)));
    DockerResolver resolver =
        Fetches.resolver(new RecordingSleeper()).authorizer(credentialsFor(origin.host())).build();

    Fetches.fetch(new InMemoryContentStore(), origin.reference("team/app:1"), resolver);

    assertThat(other.requestLog().matching("GET", "/blobs/")).hasSize(3);
    assertThat(other.requestLog().entries())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    assertThat(origin.requestLog().entries())
        .extracting(r -> r.header("Authorization"))
        .contains(LoggedRequest.REDACTED);
    assertLogHasNoSecret();
  }

  @Test
  void bearerTokenDoesNotFollowARedirectToAnotherHost() {
    try (TestRegistry tokenRegistry = TestRegistry.builder().bearerAuth(USER, SECRET).start()) {
      tokenRegistry.push("team/app:1", image);
      tokenRegistry.faults().add(FaultRule.on("GET", "/blobs/").inject(Fault.redirectTo(other)));
      DockerResolver resolver =
          Fetches.resolver(new RecordingSleeper())
              .authorizer(credentialsFor(tokenRegistry.host()))
              .build();

      Fetches.fetch(new InMemoryContentStore(), tokenRegistry.reference("team/app:1"), resolver);

      assertThat(other.requestLog().matching("GET", "/blobs/")).hasSize(3);
      assertThat(other.requestLog().entries())
          .allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
      assertThat(tokenRegistry.requestLog().matching(null, "/manifests/"))
          .extracting(r -> r.header("Authorization"))
          .contains(LoggedRequest.REDACTED);
      assertLogHasNoSecret();
    }
  }

  @Test
  void mirrorNeverReceivesTheOriginsCredentialsEvenWhenItFailsOver() {
    for (Descriptor layer : image.layers()) {
      other.faults().add(FaultRule.on("GET", layer.digest() + "$").inject(Fault.status(503)));
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Function<String, Authorizer> creds = credentialsFor(origin.host());
    List<RegistryHost> hosts = List.of(host(http, other, creds), host(http, origin, creds));
    DockerResolver resolver = Fetches.resolver(new RecordingSleeper()).hosts(h -> hosts).build();

    Fetches.fetch(new InMemoryContentStore(), origin.reference("team/app:1"), resolver);

    assertThat(other.requestLog().entries())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    for (Descriptor layer : image.layers()) {
      // Basic is sent once the origin challenges; the layer then comes from the origin.
      assertThat(Fetches.gets(origin, layer.digest()))
          .as(() -> origin.requestLog() + "\n---\n" + other.requestLog())
          .last()
          .satisfies(r -> assertThat(r.status()).isEqualTo(200))
          .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo(LoggedRequest.REDACTED));
    }
    assertLogHasNoSecret();
    assertNoSecretIn(resolver.toString() + hosts);
  }

  @Test
  void refusedCredentialsNeverAppearInTheErrorOrTheLog() {
    DockerResolver resolver =
        Fetches.resolver(new RecordingSleeper())
            .authorizer(
                h ->
                    DockerAuthorizer.builder()
                        .credentials(CredentialsProvider.of(origin.host(), USER, "wrong-" + SECRET))
                        .build())
            .build();

    assertThatThrownBy(
            () ->
                Fetches.fetch(new InMemoryContentStore(), origin.reference("team/app:1"), resolver))
        .isInstanceOf(HoistException.class)
        .satisfies(t -> assertNoSecretIn(t.toString()))
        .satisfies(t -> assertThat(t.getMessage()).contains(origin.host()));

    assertLogHasNoSecret();
  }

  private void assertLogHasNoSecret() {
    String log = captured.toString(StandardCharsets.UTF_8);
    // The capture must have seen Hoist's debug output for the secret's absence to mean anything.
    assertThat(log).contains("DEBUG dev.hoist.remotes.docker");
    assertNoSecretIn(log);
  }

  private static void assertNoSecretIn(String text) {
    assertThat(text)
        .doesNotContain(SECRET)
        .doesNotContain(HEADER.substring("Basic ".length()))
        .doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(
            Base64.getEncoder()
                .encodeToString((USER + ":wrong-" + SECRET).getBytes(StandardCharsets.UTF_8)));
  }
}
