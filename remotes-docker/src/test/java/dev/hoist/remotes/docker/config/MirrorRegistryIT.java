package dev.hoist.remotes.docker.config;

import static dev.hoist.remotes.docker.config.TestPki.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrors from {@code hosts.toml} against real registries: a mirror that is down or lacks the image
 * is skipped (and the log says why), the server then serves the fetch; a pull-only mirror is never
 * asked to resolve a tag but does serve blobs, with {@code ?ns=}.
 */
@Timeout(120)
class MirrorRegistryIT {

  static final TestImages IMAGE = TestImages.builder().platforms("linux/amd64").build();

  @RegisterExtension
  static final DistributionRegistry server = DistributionRegistry.builder().build();

  @RegisterExtension
  static final DistributionRegistry mirror = DistributionRegistry.builder().build();

  @TempDir Path root;

  @BeforeAll
  static void push() {
    RegistryPusher.to(server).push("mirror/app", "v1", IMAGE);
  }

  private RegistryHosts hosts(String mirrorHostPort, String capabilities) {
    write(
        root.resolve(server.hostPort().replace(":", "_") + "_").resolve("hosts.toml"),
        "server = \"http://"
            + server.hostPort()
            + "\"\n"
            + "[host.\"http://"
            + mirrorHostPort
            + "\"]\n"
            + "  capabilities = "
            + capabilities
            + "\n");
    return ConfigureHosts.from(HostOptions.builder().hostsDir(root).build());
  }

  private static String ref() {
    return server.hostPort() + "/mirror/app:v1";
  }

  @Test
  void mirrorMissingTheImageIsSkippedAndServerServes() throws IOException {
    RegistryHosts hosts = hosts(mirror.hostPort(), "[\"pull\", \"resolve\"]");

    try (LogCapture log = new LogCapture()) {
      assertThat(RegistryFetch.fetchAll(hosts, ref(), IMAGE)).isGreaterThan(2);

      assertThat(log.text())
          .contains("not found on RegistryHost[http://" + mirror.hostPort() + "/v2");
    }
    assertThat(mirror.log())
        .contains("/v2/mirror/app/manifests/v1?ns=" + server.hostPort().replace(":", "%3A"));
  }

  @Test
  void stoppedMirrorIsSkippedAndTheLogSaysWhy() throws IOException {
    RegistryHosts hosts = hosts("127.0.0.1:" + closedPort(), "[\"pull\", \"resolve\"]");

    try (LogCapture log = new LogCapture()) {
      assertThat(RegistryFetch.fetchAll(hosts, ref(), IMAGE)).isGreaterThan(2);

      assertThat(log.text()).contains("failed").contains("ConnectException");
    }
  }

  @Test
  void pullOnlyMirrorIsNeverAskedToResolveButServesBlobs() throws IOException {
    RegistryPusher.to(server).push("pullonly/app", "v1", IMAGE);
    RegistryPusher.to(mirror).push("pullonly/app", "v1", IMAGE);
    RegistryHosts hosts = hosts(mirror.hostPort(), "[\"pull\"]");
    int mirrorLogBefore = mirror.log().length();

    assertThat(RegistryFetch.fetchAll(hosts, server.hostPort() + "/pullonly/app:v1", IMAGE))
        .isGreaterThan(2);

    String mirrorLog = mirror.log().substring(mirrorLogBefore);
    assertThat(mirrorLog).doesNotContain("/pullonly/app/manifests/v1");
    assertThat(mirrorLog).contains("GET /v2/pullonly/app/blobs/sha256:");
    assertThat(server.log()).contains("HEAD /v2/pullonly/app/manifests/v1");
    assertThat(server.log()).doesNotContain("GET /v2/pullonly/app/blobs/sha256:");
  }

  /** A port nothing listens on: a mirror that is down. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
