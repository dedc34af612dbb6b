package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.config.internal.SslContexts;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's distribution registry serving TLS with a CA and server certificate generated at test
 * time: untrusted fails clearly; trusted through {@code ca}, {@code certs.d} or {@code skip_verify}
 * succeeds; client certificates are presented when configured.
 */
@Timeout(120)
class TlsRegistryIT {

  static final Path PKI_DIR;
  static final TestPki PKI = TestPki.newCa("hoist registry CA");
  static final TestPki.Issued CLIENT = PKI.clientEc("hoist-registry-client");
  static final TestImages IMAGE = TestImages.builder().platforms("linux/amd64").build();

  static {
    try {
      PKI_DIR = Files.createTempDirectory("hoist-registry-pki");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestPki.Issued server = PKI.server();
    write(PKI_DIR.resolve("server.crt"), pem(server.certificate()));
    write(PKI_DIR.resolve("server.key"), TestPki.pkcs8(server.keys().getPrivate()));
    write(PKI_DIR.resolve("ca.crt"), pem(PKI.ca().certificate()));
    write(PKI_DIR.resolve("client.cert"), pem(CLIENT.certificate()));
    write(PKI_DIR.resolve("client.key"), TestPki.sec1(CLIENT.keys()));
  }

  @RegisterExtension
  static final DistributionRegistry tls =
      DistributionRegistry.builder()
          .tls(PKI_DIR.resolve("server.crt"), PKI_DIR.resolve("server.key"), null)
          .build();

  @RegisterExtension
  static final DistributionRegistry mutual =
      DistributionRegistry.builder()
          .tls(
              PKI_DIR.resolve("server.crt"),
              PKI_DIR.resolve("server.key"),
              PKI_DIR.resolve("ca.crt"))
          .build();

  @TempDir Path root;

  @BeforeAll
  static void push() {
    TlsOptions trust =
        TlsOptions.builder()
            .caCertificate(PKI_DIR.resolve("ca.crt"))
            .clientCertificate(
                ClientCertificate.of(PKI_DIR.resolve("client.cert"), PKI_DIR.resolve("client.key")))
            .build();
    HttpClient client = HttpClient.newBuilder().sslContext(new SslContexts().get(trust)).build();
    RegistryPusher.to(tls).withClient(client).push("tls/app", "v1", IMAGE);
    RegistryPusher.to(mutual).withClient(client).push("tls/app", "v1", IMAGE);
  }

  private RegistryHosts hosts(String dirName, String toml) {
    write(root.resolve(dirName).resolve("hosts.toml"), toml);
    return ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());
  }

  private static String ref(DistributionRegistry r) {
    return r.hostPort() + "/tls/app:v1";
  }

  @Test
  void untrustedRegistryFailsWithClearTlsError() {
    RegistryHosts hosts = hosts("_default", "server = \"https://" + tls.hostPort() + "\"\n");

    assertThatThrownBy(() -> RegistryFetch.fetchAll(hosts, ref(tls), IMAGE))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(tls.hostPort())
        .hasMessageContaining("TLS")
        .hasMessageContaining("certificate");
  }

  @Test
  void caInHostsFileMakesFetchSucceed() throws IOException {
    Files.copy(
        PKI_DIR.resolve("ca.crt"),
        Files.createDirectories(root.resolve("_default")).resolve("my-ca.pem"));
    RegistryHosts hosts =
        hosts("_default", "server = \"https://" + tls.hostPort() + "\"\nca = \"my-ca.pem\"\n");

    assertThat(RegistryFetch.fetchAll(hosts, ref(tls), IMAGE)).isGreaterThan(2);
  }

  @Test
  void certsDirectoryCrtMakesFetchSucceedOverHttpsForLocalhost() throws IOException {
    Path dir = Files.createDirectories(root.resolve("127.0.0.1_" + tls.port() + "_"));
    Files.copy(PKI_DIR.resolve("ca.crt"), dir.resolve("ca.crt"));
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    assertThat(hosts.hosts(tls.hostPort()).get(0).scheme()).isEqualTo("https");
    assertThat(RegistryFetch.fetchAll(hosts, ref(tls), IMAGE)).isGreaterThan(2);
  }

  @Test
  void skipVerifyMakesFetchSucceed() throws IOException {
    RegistryHosts hosts =
        hosts("_default", "server = \"https://" + tls.hostPort() + "\"\nskip_verify = true\n");

    assertThat(RegistryFetch.fetchAll(hosts, ref(tls), IMAGE)).isGreaterThan(2);
  }

  @Test
  void registryRequiringClientCertificatesAcceptsTheConfiguredPair() throws IOException {
    RegistryHosts hosts =
        hosts(
            "_default",
            "server = \"https://"
                + mutual.hostPort()
                + "\"\n"
                + "ca = \""
                + PKI_DIR.resolve("ca.crt")
                + "\"\n"
                + "client = [[\""
                + PKI_DIR.resolve("client.cert")
                + "\", \""
                + PKI_DIR.resolve("client.key")
                + "\"]]\n");

    assertThat(RegistryFetch.fetchAll(hosts, ref(mutual), IMAGE)).isGreaterThan(2);
  }

  @Test
  void certsDirectoryClientPairIsPresented() throws IOException {
    Path dir = Files.createDirectories(root.resolve("127.0.0.1_" + mutual.port() + "_"));
    Files.copy(PKI_DIR.resolve("ca.crt"), dir.resolve("ca.crt"));
    Files.copy(PKI_DIR.resolve("client.cert"), dir.resolve("client.cert"));
    Files.copy(PKI_DIR.resolve("client.key"), dir.resolve("client.key"));
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    assertThat(RegistryFetch.fetchAll(hosts, ref(mutual), IMAGE)).isGreaterThan(2);
  }

  @Test
  void registryRequiringClientCertificatesRefusesClientWithout() {
    RegistryHosts hosts =
        hosts(
            "_default",
            "server = \"https://"
                + mutual.hostPort()
                + "\"\nca = \""
                + PKI_DIR.resolve("ca.crt")
                + "\"\n");

    assertThatThrownBy(() -> RegistryFetch.fetchAll(hosts, ref(mutual), IMAGE))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(mutual.hostPort());
  }
}
