package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.config.internal.SslContexts;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.remotes.docker.testing.TinyProxy;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls through a real HTTP proxy (Debian's tinyproxy on a free loopback port): plain HTTP is
 * forwarded, HTTPS tunnelled with {@code CONNECT}, {@code NO_PROXY} bypasses it, and wrong proxy
 * credentials are a clear {@link UnauthorizedException} without the secret (issue 16 item 4).
 */
@Timeout(180)
class ProxyIT {

  static final Path DIR;
  static final TestPki PKI = TestPki.newCa("hoist proxy test CA");
  static final TestImages IMAGE =
      TestImages.builder().platforms("linux/amd64").seed("proxy").build();

  static {
    try {
      DIR = Files.createTempDirectory("hoist-proxy-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestPki.Issued server = PKI.server();
    write(DIR.resolve("server.crt"), pem(server.certificate()));
    write(DIR.resolve("server.key"), TestPki.pkcs8(server.keys().getPrivate()));
    write(DIR.resolve("ca.crt"), pem(PKI.ca().certificate()));
  }

  @RegisterExtension
  static final DistributionRegistry plain = DistributionRegistry.builder().build();

  @RegisterExtension
  static final DistributionRegistry tls =
      DistributionRegistry.builder()
          .tls(DIR.resolve("server.crt"), DIR.resolve("server.key"), null)
          .build();

  static TinyProxy open;
  static TinyProxy locked;

  @TempDir Path root;

  @BeforeAll
  static void start() throws Exception {
    HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(
                new SslContexts()
                    .get(TlsOptions.builder().caCertificate(DIR.resolve("ca.crt")).build()))
            .build();
    RegistryPusher.to(plain).push("proxy/app", "v1", IMAGE);
    RegistryPusher.to(tls).withClient(trusting).push("proxy/app", "v1", IMAGE);
    open = TinyProxy.start(Files.createDirectories(DIR.resolve("open")), null, null);
    locked = TinyProxy.start(Files.createDirectories(DIR.resolve("locked")), "alice", "pr0xy-pass");
  }

  @AfterAll
  static void stop() {
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  static String ref(DistributionRegistry r) {
    return r.hostPort() + "/proxy/app:v1";
  }

  /** Hosts for {@code r} over https with the test CA (a hosts.toml), through {@code proxy}. */
  RegistryHosts tlsHosts(ProxySettings proxy) throws IOException {
    write(
        root.resolve("_default").resolve("hosts.toml"),
        "server = \"https://" + tls.hostPort() + "\"\nca = \"" + DIR.resolve("ca.crt") + "\"\n");
    return ConfigureHosts.from(HostOptions.builder().hostsDir(root).proxy(proxy).build());
  }

  static RegistryHosts plainHosts(ProxySettings proxy) {
    return ConfigureHosts.from(HostOptions.builder().proxy(proxy).build());
  }

  static long requestsFor(TinyProxy proxy, String hostPort) throws IOException {
    return proxy.requests().stream().filter(l -> l.contains(hostPort)).count();
  }

  @Test
  void aPullOverHttpIsForwardedByTheProxy() throws Exception {
    long before = requestsFor(open, plain.hostPort());
    ProxySettings proxy =
        ProxySettings.builder().httpProxy(open.url(null, null)).proxyLoopback(true).build();

    // Both transports: Hoist's own connections, then java.net.http.
    assertThat(RegistryFetch.fetchAll(plainHosts(proxy), ref(plain), IMAGE)).isGreaterThan(2);

    assertThat(open.requests())
        .anyMatch(l -> l.contains("GET http://" + plain.hostPort() + "/v2/proxy/app/"));
    assertThat(requestsFor(open, plain.hostPort()) - before).isGreaterThan(4);
  }

  @Test
  void aPullOverHttpsGoesThroughAConnectTunnel() throws Exception {
    long before = requestsFor(open, tls.hostPort());
    ProxySettings proxy =
        ProxySettings.builder().httpsProxy(open.url(null, null)).proxyLoopback(true).build();

    assertThat(RegistryFetch.fetchAll(tlsHosts(proxy), ref(tls), IMAGE)).isGreaterThan(2);

    assertThat(open.requests()).anyMatch(l -> l.contains("CONNECT " + tls.hostPort()));
    assertThat(requestsFor(open, tls.hostPort())).isGreaterThan(before);
  }

  @Test
  void noProxyHostsAreReachedDirectly() throws Exception {
    ProxySettings proxy =
        ProxySettings.builder()
            .httpProxy(open.url(null, null))
            .httpsProxy(open.url(null, null))
            .noProxy("example.org, 127.0.0.1:" + plain.port())
            .proxyLoopback(true)
            .build();
    long before = requestsFor(open, plain.hostPort());

    assertThat(RegistryFetch.fetchAll(plainHosts(proxy), ref(plain), IMAGE)).isGreaterThan(2);

    assertThat(requestsFor(open, plain.hostPort())).isEqualTo(before);
  }

  @Test
  void theProxysCredentialsAreSentAndWrongOnesAreAClearError() throws Exception {
    URI right = locked.url("alice", "pr0xy-pass");
    URI wrong = locked.url("alice", "wr0ng-guess");
    ProxySettings good =
        ProxySettings.builder().httpsProxy(right).httpProxy(right).proxyLoopback(true).build();
    ProxySettings bad =
        ProxySettings.builder().httpsProxy(wrong).httpProxy(wrong).proxyLoopback(true).build();

    try (DockerResolver ok = DockerResolver.builder().hosts(tlsHosts(good)).build()) {
      assertThat(ok.resolve(ref(tls)).descriptor().digest()).isEqualTo(IMAGE.root().digest());
    }
    try (DockerResolver refused = DockerResolver.builder().hosts(tlsHosts(bad)).build()) {
      assertThatThrownBy(() -> refused.resolve(ref(tls)))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessageContaining("proxy http://127.0.0.1:" + right.getPort())
          .hasMessageContaining("refused the credentials")
          .hasMessageNotContaining("wr0ng-guess");
    }
    try (DockerResolver refused = DockerResolver.builder().hosts(plainHosts(bad)).build()) {
      // tinyproxy answers a forwarded request with 401 rather than 407; either way a typed refusal.
      assertThatThrownBy(() -> refused.resolve(ref(plain)))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessageNotContaining("wr0ng-guess");
    }
  }
}
