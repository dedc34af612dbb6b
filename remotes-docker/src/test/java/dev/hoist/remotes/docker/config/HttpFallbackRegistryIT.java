package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.pem;
import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd's HTTP fallback against the real registry: a localhost registry with TLS files in its
 * {@code certs.d} directory is tried over HTTPS first; when it turns out to speak plain HTTP the
 * fetch still succeeds, over HTTP.
 */
@Timeout(120)
class HttpFallbackRegistryIT {

  static final TestImages IMAGE = TestImages.builder().platforms("linux/amd64").build();

  @RegisterExtension
  static final DistributionRegistry plain = DistributionRegistry.builder().build();

  @TempDir Path root;

  @BeforeAll
  static void push() {
    RegistryPusher.to(plain).push("fallback/app", "v1", IMAGE);
  }

  @Test
  void localhostWithCaFileFallsBackToHttpWhenRegistrySpeaksPlainHttp() throws IOException {
    TestPki pki = TestPki.newCa("unused CA");
    write(root.resolve("127.0.0.1_" + plain.port() + "_/ca.crt"), pem(pki.ca().certificate()));
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());
    RegistryHost host = hosts.hosts(plain.hostPort()).get(0);
    int logBefore = plain.log().length();

    assertThat(host.scheme()).isEqualTo("https");
    assertThat(RegistryFetch.fetchAll(hosts, plain.hostPort() + "/fallback/app:v1", IMAGE))
        .isGreaterThan(2);
    assertThat(plain.log().substring(logBefore)).contains("HEAD /v2/fallback/app/manifests/v1");
  }

  @Test
  void httpHostInHostsFileWithSkipVerifyFallsBackToo() throws IOException {
    write(
        root.resolve("_default/hosts.toml"),
        "server = \"http://" + plain.hostPort() + "\"\nskip_verify = true\n");
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());

    assertThat(hosts.hosts("reg.example").get(0).root().toString())
        .isEqualTo("https://" + plain.hostPort() + "/v2");
    assertThat(RegistryFetch.fetchAll(hosts, "reg.example/fallback/app:v1", IMAGE))
        .isGreaterThan(2);
  }
}
