package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ConfigureHosts}: defaults, directories, certs.d, client sharing, authorizers. */
class ConfigureHostsTest {

  static TestPki pki;
  static TestPki.Issued client;

  @TempDir Path root;

  @BeforeAll
  static void makePki() {
    pki = TestPki.newCa("configure-hosts CA");
    client = pki.clientRsa("client");
  }

  private static List<String> urls(List<RegistryHost> hosts) {
    return hosts.stream().map(h -> h.root().toString()).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "docker.io, https://registry-1.docker.io/v2",
    "ghcr.io, https://ghcr.io/v2",
    "registry.example.com:5000, https://registry.example.com:5000/v2",
    "localhost, https://localhost/v2",
    "localhost:443, https://localhost:443/v2",
    "localhost:5000, http://localhost:5000/v2",
    "127.0.0.1:5000, http://127.0.0.1:5000/v2",
    "[::1]:5000, http://[::1]:5000/v2"
  })
  void withoutConfigurationTheRegistryItselfIsTheOnlyHost(String registry, String url)
      throws IOException {
    List<RegistryHost> hosts = ConfigureHosts.from(HostOptions.builder().build()).hosts(registry);

    assertThat(urls(hosts)).containsExactly(url);
    assertThat(hosts.get(0).capabilities()).isEqualTo(EnumSet.allOf(HostCapability.class));
  }

  @Test
  void defaultSchemeAppliesToRegistriesWithoutConfiguration() throws IOException {
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().defaultScheme("http").build());

    assertThat(urls(hosts.hosts("registry.internal")))
        .containsExactly("http://registry.internal/v2");
    assertThat(urls(hosts.hosts("localhost"))).containsExactly("http://localhost/v2");
    assertThat(urls(hosts.hosts("docker.io"))).containsExactly("https://registry-1.docker.io/v2");
  }

  @Test
  void mirrorsComeFirstAndServerLast() throws IOException {
    write(
        root.resolve("docker.io/hosts.toml"),
        """
        server = "https://registry-1.docker.io"
        [host."https://public-mirror.example.com"]
          capabilities = ["pull"]
        [host."https://docker-mirror.internal"]
          capabilities = ["pull", "resolve"]
          [host."https://docker-mirror.internal".header]
            x-mirror = "1"
        """);

    List<RegistryHost> hosts =
        ConfigureHosts.from(HostOptions.builder().hostsDir(root).build()).hosts("docker.io");

    assertThat(urls(hosts))
        .containsExactly(
            "https://public-mirror.example.com/v2",
            "https://docker-mirror.internal/v2",
            "https://registry-1.docker.io/v2");
    assertThat(hosts.get(0).capabilities()).containsExactly(HostCapability.PULL);
    assertThat(hosts.get(1).headers()).containsEntry("x-mirror", List.of("1"));
    assertThat(hosts.get(0).isMirrorFor("docker.io")).isTrue();
    assertThat(hosts.get(2).isMirrorFor("docker.io")).isFalse();
  }

  @Test
  void defaultDirectoryServesEveryRegistryAndDerivesTheServer() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        """
        [host."https://registry.example.com"]
          capabilities = ["pull", "resolve"]
        """);

    List<RegistryHost> hosts =
        ConfigureHosts.from(HostOptions.builder().hostsDir(root).build()).hosts("quay.io");

    assertThat(urls(hosts))
        .containsExactly("https://registry.example.com/v2", "https://quay.io/v2");
  }

  @Test
  void malformedHostsFileIsAnErrorNotASilentFallback() {
    write(root.resolve("docker.io/hosts.toml"), "server = \"https://a\"\n[host.\"x\"\n");

    assertThatThrownBy(
            () ->
                ConfigureHosts.from(HostOptions.builder().hostsDir(root).build())
                    .hosts("docker.io"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.resolve("docker.io/hosts.toml").toString())
        .hasMessageContaining("line 2");
  }

  @Test
  void missingCaFileNamedInHostsFileIsAnError() {
    write(
        root.resolve("reg.example/hosts.toml"),
        "server = \"https://reg.example\"\nca = \"nope.crt\"\n");

    assertThatThrownBy(
            () ->
                ConfigureHosts.from(HostOptions.builder().hostsDir(root).build())
                    .hosts("reg.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.resolve("reg.example/nope.crt").toString());
  }

  @Test
  void missingClientKeyFileIsAnErrorNamingIt() {
    write(root.resolve("reg.example/client.cert"), pem(client.certificate()));
    write(
        root.resolve("reg.example/hosts.toml"),
        "server = \"https://reg.example\"\nclient = [[\"client.cert\", \"gone.key\"]]\n");

    assertThatThrownBy(
            () ->
                ConfigureHosts.from(HostOptions.builder().hostsDir(root).build())
                    .hosts("reg.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.resolve("reg.example/gone.key").toString());
  }

  @Test
  void hostsFileThatIsNotUtf8IsAnErrorNamingIt() throws IOException {
    Files.createDirectories(root.resolve("reg.example"));
    Files.write(
        root.resolve("reg.example/hosts.toml"), new byte[] {'s', '=', (byte) 0xff, (byte) 0xfe});

    assertThatThrownBy(
            () ->
                ConfigureHosts.from(HostOptions.builder().hostsDir(root).build())
                    .hosts("reg.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(root.resolve("reg.example/hosts.toml").toString());
  }

  @Test
  void unknownKeysAreWarnedAboutOnce() throws IOException {
    write(
        root.resolve("reg.example/hosts.toml"),
        "server = \"https://reg.example\"\nproxy = \"http://proxy:8080\"\n");
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    String log;
    try (LogCapture capture = new LogCapture()) {
      hosts.hosts("reg.example");
      hosts.hosts("reg.example");
      log = capture.text();
    }

    assertThat(log.split("ignoring unknown key proxy", -1)).hasSize(2);
  }

  @Test
  void certsDirectoryGivesCasAndClientPairsToTheRegistry() throws IOException {
    Path dir = root.resolve("reg.example_5000_");
    write(dir.resolve("ca.crt"), pem(pki.ca().certificate()));
    write(dir.resolve("client.cert"), pem(client.certificate()));
    write(dir.resolve("client.key"), TestPki.pkcs8(client.keys().getPrivate()));
    write(dir.resolve("combined.cert"), pem(client.certificate(), client.keys()));
    write(dir.resolve("lonely.key"), "ignored");
    Files.createDirectories(dir.resolve("sub.crt"));

    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());
    List<RegistryHost> list = hosts.hosts("reg.example:5000");

    assertThat(urls(list)).containsExactly("https://reg.example:5000/v2");
    assertThat(list.get(0).transport().tls().isConfigured()).isTrue();
    assertThat(list.get(0).transport().tls().caCertificates()).hasSize(1);
    assertThat(list.get(0).transport().tls().clientCertificates()).hasSize(2);
    assertThat(hosts.hosts("reg.example:5000").get(0).transport())
        .isEqualTo(list.get(0).transport());
  }

  @Test
  void localhostWithTlsFilesTriesHttpsFirst() throws IOException {
    write(root.resolve("localhost_5000_/ca.crt"), pem(pki.ca().certificate()));
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    RegistryHost host = hosts.hosts("localhost:5000").get(0);

    assertThat(host.root().toString()).isEqualTo("https://localhost:5000/v2");
    assertThat(host.transport().httpFallback()).isTrue();
  }

  @Test
  void httpHostWithTlsSettingsTriesHttpsFirstButPort80StaysHttp() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        """
        [host."http://mirror.example:5000"]
          skip_verify = true
        [host."http://mirror.example:80"]
          skip_verify = true
        [host."http://plain.example:5000"]
        """);

    List<RegistryHost> hosts =
        ConfigureHosts.from(HostOptions.builder().hostsDir(root).build()).hosts("reg.example");

    assertThat(urls(hosts))
        .containsExactly(
            "https://mirror.example:5000/v2",
            "http://mirror.example:80/v2",
            "http://plain.example:5000/v2",
            "https://reg.example/v2");
  }

  @Test
  void transportOptionsAreEqualPerDistinctSettingsAcrossCallsAndHosts() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        """
        [host."https://a.example"]
        [host."https://b.example"]
        [host."https://c.example"]
          dial_timeout = "2s"
        [host."https://d.example"]
          skip_verify = true
        """);
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    List<RegistryHost> first = hosts.hosts("reg.example");
    List<RegistryHost> second = hosts.hosts("other.example");

    assertThat(first.get(0).transport())
        .isEqualTo(first.get(1).transport())
        .isEqualTo(first.get(4).transport());
    assertThat(first.get(2).transport()).isNotEqualTo(first.get(0).transport());
    assertThat(first.get(2).transport().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(first.get(3).transport()).isNotEqualTo(first.get(0).transport());
    assertThat(first.get(3).transport().tls().insecureSkipVerify()).isTrue();
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).transport()).isEqualTo(first.get(i).transport());
    }
    assertThat(first.get(0).transport().client()).isEmpty();
  }

  @Test
  void customizerVersionAndTimeoutReachTheClient() throws IOException {
    List<HttpClient.Builder> seen = new ArrayList<>();
    RegistryHosts hosts =
        ConfigureHosts.from(
            HostOptions.builder()
                .httpVersion(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(7))
                .clientCustomizer(seen::add)
                .build());

    HttpClient c = hosts.hosts("reg.example").get(0).transport().client().orElseThrow();
    assertThat(hosts.hosts("other.example").get(0).transport().client()).containsSame(c);

    assertThat(c.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(c.connectTimeout()).contains(Duration.ofSeconds(7));
    assertThat(seen).hasSize(1);
  }

  @Test
  void authorizerIsCreatedOncePerEndpointHost() throws IOException {
    write(
        root.resolve("docker.io/hosts.toml"),
        "server = \"https://registry-1.docker.io\"\n[host.\"https://mirror.example\"]\n");
    List<String> asked = new ArrayList<>();
    RegistryHosts hosts =
        ConfigureHosts.from(
            HostOptions.builder()
                .hostsDir(root)
                .authorizer(
                    host -> {
                      asked.add(host);
                      return new NamedAuthorizer(host);
                    })
                .build());

    List<RegistryHost> first = hosts.hosts("docker.io");
    List<RegistryHost> again = hosts.hosts("docker.io");

    assertThat(asked).containsExactly("mirror.example", "registry-1.docker.io");
    assertThat(((NamedAuthorizer) first.get(0).authorizer()).host).isEqualTo("mirror.example");
    assertThat(again.get(1).authorizer()).isSameAs(first.get(1).authorizer());
  }

  @Test
  void defaultAuthorizersAreDockerAuthorizersSharedPerEndpointSettings() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        """
        [host."https://mirror.example"]
          [host."https://mirror.example".header]
            x-token-hint = "a"
        """);
    RegistryHosts hosts =
        ConfigureHosts.from(
            HostOptions.builder()
                .hostsDir(root)
                .credentials(CredentialsProvider.of("mirror.example", "u", "s3cr3t-value"))
                .build());

    List<RegistryHost> first = hosts.hosts("reg.example");
    List<RegistryHost> second = hosts.hosts("other.example");

    assertThat(first.get(0).authorizer()).isInstanceOf(DockerAuthorizer.class);
    assertThat(second.get(0).authorizer()).isSameAs(first.get(0).authorizer());
    assertThat(first.get(1).authorizer()).isNotSameAs(first.get(0).authorizer());
    assertThat(first.get(0).toString() + first.get(0).authorizer()).doesNotContain("s3cr3t-value");
  }

  @Test
  void skipVerifyIsWarnedOncePerHost() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        "[host.\"https://insecure.example\"]\nskip_verify = true\n[host.\"https://safe.example\"]\n");
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    String log;
    try (LogCapture capture = new LogCapture()) {
      hosts.hosts("reg.example");
      hosts.hosts("reg.example");
      log = capture.text();
    }

    assertThat(log.split("skip_verify is set", -1)).hasSize(2);
    assertThat(log)
        .contains("host=insecure.example skip_verify is set")
        .doesNotContain("host=safe.example");
  }

  @Test
  void builderRejectsConflictingOrInvalidOptions() {
    assertThatThrownBy(() -> HostOptions.builder().hostsDir(root).hostsDir(root))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                HostOptions.builder()
                    .credentials(CredentialsProvider.none())
                    .authorizer(h -> Authorizer.NONE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HostOptions.builder().defaultScheme("ftp"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> HostOptions.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class);
  }

  private static final class NamedAuthorizer implements Authorizer {
    final String host;

    NamedAuthorizer(String host) {
      this.host = host;
    }

    @Override
    public Optional<String> authorize(AuthRequest request) {
      return Optional.empty();
    }

    @Override
    public boolean onUnauthorized(AuthRequest request, HttpHeaders responseHeaders) {
      return false;
    }
  }
}
