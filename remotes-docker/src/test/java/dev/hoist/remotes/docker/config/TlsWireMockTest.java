package dev.hoist.remotes.docker.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.internal.HostClient;
import dev.hoist.remotes.docker.internal.JdkTransport;
import dev.hoist.remotes.docker.internal.OwnTransport;
import dev.hoist.remotes.docker.internal.Transport;
import dev.hoist.remotes.docker.internal.Transports;
import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against WireMock serving a certificate made by a BouncyCastle CA at test time: trust via
 * {@code ca}, {@code certs.d}, {@code skip_verify}; client certificates; and the HTTP fallback.
 */
@Timeout(60)
class TlsWireMockTest {

  private static final String PASSWORD = "test-store";
  private static final Path STORES;
  private static final TestPki PKI = TestPki.newCa("wiremock CA");
  private static final TestPki.Issued CLIENT = PKI.clientRsa("hoist-client");

  static {
    try {
      STORES = Files.createTempDirectory("hoist-tls-wiremock");
      TestPki.pkcs12(STORES.resolve("server.p12"), PKI.server(), PASSWORD);
      TestPki.truststore(STORES.resolve("clients.p12"), PKI.ca().certificate(), PASSWORD);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @RegisterExtension
  static WireMockExtension tls =
      WireMockExtension.newInstance()
          .options(
              wireMockConfig()
                  .dynamicPort()
                  .dynamicHttpsPort()
                  .keystorePath(STORES.resolve("server.p12").toString())
                  .keystoreType("PKCS12")
                  .keystorePassword(PASSWORD)
                  .keyManagerPassword(PASSWORD))
          .build();

  @RegisterExtension
  static WireMockExtension mutual =
      WireMockExtension.newInstance()
          .options(
              wireMockConfig()
                  .dynamicPort()
                  .dynamicHttpsPort()
                  .keystorePath(STORES.resolve("server.p12").toString())
                  .keystoreType("PKCS12")
                  .keystorePassword(PASSWORD)
                  .keyManagerPassword(PASSWORD)
                  .needClientAuth(true)
                  .trustStorePath(STORES.resolve("clients.p12").toString())
                  .trustStoreType("PKCS12")
                  .trustStorePassword(PASSWORD))
          .build();

  @TempDir Path root;

  @BeforeEach
  void stub() {
    for (WireMockExtension wm : List.of(tls, mutual)) {
      wm.stubFor(get(urlEqualTo("/v2/")).willReturn(aResponse().withStatus(200).withBody("{}")));
    }
  }

  private RegistryHosts hostsWith(String toml) {
    write(root.resolve("_default/hosts.toml"), toml);
    return ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());
  }

  private static int ping(RegistryHost host) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(host.root() + "/")).GET().build();
    return HostClient.of(host.transport())
        .jdk()
        .send(req, HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private Path caFile() {
    return write(root.resolve("_default/ca.crt"), pem(PKI.ca().certificate()));
  }

  @Test
  void untrustedCertificateFailsTheHandshake() throws IOException {
    RegistryHost host =
        hostsWith("server = \"https://localhost:" + tls.getHttpsPort() + "\"\n")
            .hosts("reg.example")
            .get(0);

    assertThatThrownBy(() -> ping(host)).isInstanceOf(SSLHandshakeException.class);
  }

  /**
   * Hoist's own HTTP/1.1 connections (the default for GET and HEAD) check certificates as
   * java.net.http does.
   */
  @Test
  void ownConnectionsTrustTheConfiguredCaAndVerifyTheServerName() throws Exception {
    caFile();
    RegistryHost host =
        hostsWith("server = \"https://localhost:" + tls.getHttpsPort() + "\"\nca = \"ca.crt\"\n")
            .hosts("reg.example")
            .get(0);
    Http1Transport transport = new Http1Transport();
    HostClient client = HostClient.of(host.transport());
    URI named = URI.create("https://127.0.0.1:" + tls.getHttpsPort() + "/v2/");
    // The whole of 127/8 is loopback, but the certificate names only 127.0.0.1, ::1 and localhost.
    URI unnamed = URI.create("https://127.0.0.2:" + tls.getHttpsPort() + "/v2/");

    Http1Transport.Exchange ok =
        transport.exchange(client, "GET", named, List.of(), Duration.ofSeconds(10));
    ok.body().close();
    assertThat(ok.status()).isEqualTo(200);
    assertThatThrownBy(
            () -> transport.exchange(client, "GET", unnamed, List.of(), Duration.ofSeconds(10)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void ownConnectionsRefuseAnUntrustedCertificate() throws IOException {
    RegistryHost host =
        hostsWith("server = \"https://localhost:" + tls.getHttpsPort() + "\"\n")
            .hosts("reg.example")
            .get(0);
    URI uri = URI.create("https://localhost:" + tls.getHttpsPort() + "/v2/");

    assertThatThrownBy(
            () ->
                new Http1Transport()
                    .exchange(
                        HostClient.of(host.transport()),
                        "GET",
                        uri,
                        List.of(),
                        Duration.ofSeconds(10)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void caInHostsFileIsTrusted() throws Exception {
    caFile();
    RegistryHost host =
        hostsWith("server = \"https://localhost:" + tls.getHttpsPort() + "\"\nca = \"ca.crt\"\n")
            .hosts("reg.example")
            .get(0);

    assertThat(ping(host)).isEqualTo(200);
  }

  @Test
  void caFromCertsDirectoryIsTrusted() throws Exception {
    String registry = "127.0.0.1:" + tls.getHttpsPort();
    write(
        root.resolve("127.0.0.1_" + tls.getHttpsPort() + "_/ca.crt"), pem(PKI.ca().certificate()));
    RegistryHost host =
        ConfigureHosts.from(HostOptions.builder().hostsDir(root).build()).hosts(registry).get(0);

    assertThat(host.root().toString()).startsWith("https://127.0.0.1:");
    assertThat(ping(host)).isEqualTo(200);
  }

  @Test
  void skipVerifyAcceptsTheUntrustedCertificate() throws Exception {
    RegistryHost host =
        hostsWith("server = \"https://127.0.0.1:" + tls.getHttpsPort() + "\"\nskip_verify = true\n")
            .hosts("reg.example")
            .get(0);

    assertThat(ping(host)).isEqualTo(200);
  }

  @Test
  void skipVerifyAppliesToItsHostOnly() throws Exception {
    RegistryHosts hosts =
        hostsWith(
            "server = \"https://localhost:"
                + tls.getHttpsPort()
                + "\"\n"
                + "[host.\"https://127.0.0.1:"
                + tls.getHttpsPort()
                + "\"]\nskip_verify = true\n");
    List<RegistryHost> list = hosts.hosts("reg.example");

    assertThat(ping(list.get(0))).isEqualTo(200);
    assertThatThrownBy(() -> ping(list.get(1))).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void clientCertificateIsPresentedWhenConfigured() throws Exception {
    caFile();
    write(root.resolve("_default/client.cert"), pem(CLIENT.certificate()));
    write(root.resolve("_default/client.key"), pem(CLIENT.keys()));
    RegistryHost host =
        hostsWith(
                "server = \"https://localhost:"
                    + mutual.getHttpsPort()
                    + "\"\n"
                    + "ca = \"ca.crt\"\nclient = [[\"client.cert\", \"client.key\"]]\n")
            .hosts("reg.example")
            .get(0);

    assertThat(ping(host)).isEqualTo(200);
  }

  @Test
  void serverRequiringClientCertificateRefusesClientWithout() throws IOException {
    caFile();
    RegistryHost host =
        hostsWith("server = \"https://localhost:" + mutual.getHttpsPort() + "\"\nca = \"ca.crt\"\n")
            .hosts("reg.example")
            .get(0);

    assertThatThrownBy(() -> ping(host)).isInstanceOf(IOException.class);
    assertThat(mutual.findAll(getRequestedFor(urlEqualTo("/v2/")))).isEmpty();
  }

  /** One GET through new transports as a resolver makes them, at {@code version}. */
  private static int viaTransports(RegistryHost host, HttpClient.Version version)
      throws IOException {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    try (Transports transports =
        new Transports(new OwnTransport(() -> timer), new JdkTransport(() -> timer))) {
      return viaTransports(transports, host, version);
    } finally {
      timer.shutdownNow();
    }
  }

  /** One GET through {@code transports}, at {@code version}; returns the status. */
  private static int viaTransports(
      Transports transports, RegistryHost host, HttpClient.Version version) throws IOException {
    Transport.Response r =
        transports.send(
            new Transport.Request(
                transports.client(host.transport()),
                "GET",
                URI.create(host.root() + "/"),
                version,
                List.of(),
                Duration.ofSeconds(10)));
    r.body().close();
    return r.status();
  }

  @Test
  void httpHostWithTlsSettingsFallsBackWhenServerSpeaksPlainHttpOnBothTransports()
      throws Exception {
    caFile();
    RegistryHost host =
        hostsWith("[host.\"http://localhost:" + tls.getPort() + "\"]\nca = \"ca.crt\"\n")
            .hosts("reg.example")
            .get(0);

    assertThat(host.scheme()).isEqualTo("https");
    // Hoist's own HTTP/1.1 transport, then java.net.http: each finds the plain-HTTP port itself.
    assertThat(viaTransports(host, HttpClient.Version.HTTP_1_1)).isEqualTo(200);
    assertThat(viaTransports(host, HttpClient.Version.HTTP_2)).isEqualTo(200);
    assertThat(tls.findAll(getRequestedFor(urlEqualTo("/v2/")))).hasSize(2);
  }

  @Test
  void theFallbackIsRememberedPerHostSoTheNextRequestGoesOverHttpAtOnce() throws Exception {
    caFile();
    RegistryHost host =
        hostsWith("[host.\"http://127.0.0.1:" + tls.getPort() + "\"]\nca = \"ca.crt\"\n")
            .hosts("reg.example")
            .get(0);

    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    try (Transports transports =
        new Transports(new OwnTransport(() -> timer), new JdkTransport(() -> timer))) {
      assertThat(viaTransports(transports, host, HttpClient.Version.HTTP_1_1)).isEqualTo(200);
      assertThat(viaTransports(transports, host, HttpClient.Version.HTTP_1_1)).isEqualTo(200);
    } finally {
      timer.shutdownNow();
    }

    // The first request's handshake failed and the port was asked once (HEAD /v2/ in plain HTTP).
    assertThat(tls.findAll(headRequestedFor(urlEqualTo("/v2/")))).hasSize(1);
    assertThat(tls.findAll(getRequestedFor(urlEqualTo("/v2/")))).hasSize(2);
  }

  @Test
  void certificateFailureNeverFallsBackToHttp() throws IOException {
    TestPki other = TestPki.newCa("someone else");
    write(root.resolve("_default/other.crt"), pem(other.ca().certificate()));
    RegistryHost host =
        hostsWith("[host.\"http://localhost:" + tls.getHttpsPort() + "\"]\nca = \"other.crt\"\n")
            .hosts("reg.example")
            .get(0);

    assertThatThrownBy(() -> ping(host)).isInstanceOf(SSLHandshakeException.class);
    assertThat(tls.findAll(getRequestedFor(urlEqualTo("/v2/")))).isEmpty();
  }
}
