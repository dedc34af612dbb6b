package dev.hoist.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FetchWithHostsDir} against a registry name that is never looked up in DNS: its hosts
 * directory lists the loopback {@link TestRegistry} as the mirror and a closed loopback port as the
 * server.
 */
@Timeout(60)
class FetchWithHostsDirTest {

  private static final String REGISTRY = "registry.example.test";

  private static TestRegistry mirror;
  private static TestImage image;
  private static int closedPort;

  @TempDir Path hostsDir;
  @TempDir Path store;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void startMirror() throws IOException {
    image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(2, 1024)
                .seed(3)
                .build());
    mirror = TestRegistry.start();
    mirror.push("team/app:1.0", image);
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stopMirror() {
    mirror.close();
  }

  @BeforeEach
  void clearLog() {
    mirror.requestLog().clear();
  }

  private void writeHostsToml(String text) throws IOException {
    Path dir = Files.createDirectories(hostsDir.resolve(REGISTRY));
    Files.writeString(dir.resolve("hosts.toml"), text);
  }

  private void mirrorOnly() throws IOException {
    writeHostsToml(
        "server = \"http://127.0.0.1:"
            + closedPort
            + "\"\n\n"
            + "[host.\""
            + mirror.url()
            + "\"]\n"
            + "  capabilities = [\"pull\", \"resolve\"]\n");
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void fetchesThroughTheMirrorTheHostsDirectoryNames() throws IOException {
    mirrorOnly();

    Image fetched =
        FetchWithHostsDir.run(REGISTRY + "/team/app:1.0", hostsDir, store, "linux/amd64", out);

    assertThat(fetched.name()).isEqualTo(REGISTRY + "/team/app:1.0");
    assertThat(fetched.target().digest()).isEqualTo(image.root().digest());
    assertThat(printed().lines().toList())
        .containsExactly(
            REGISTRY + " -> " + mirror.url() + "/v2 [pull,resolve]",
            REGISTRY + " -> http://127.0.0.1:" + closedPort + "/v2 [pull,resolve,push,referrers]",
            "fetched " + REGISTRY + "/team/app:1.0 " + image.root().digest());
    Set<Digest> committed = new HashSet<>();
    LocalContentStore.open(store).walk(info -> true, info -> committed.add(info.digest()));
    assertThat(committed)
        .contains(
            image.root().digest(),
            image.manifests().get(0).digest(),
            image.layers().get(0).digest())
        .doesNotContain(image.manifests().get(1).digest());
  }

  @Test
  void mirrorRequestsNameTheUpstreamRegistry() throws IOException {
    mirrorOnly();

    FetchWithHostsDir.run(REGISTRY + "/team/app:1.0", hostsDir, store, "linux/amd64", out);

    List<LoggedRequest> manifests =
        mirror.requestLog().matching(null, "/v2/team/app/manifests/1.0");
    assertThat(manifests)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.query()).contains("ns=" + REGISTRY));
  }

  @Test
  void imageMissingOnTheMirrorFallsThroughToTheServer() throws IOException {
    // The server is a registry without the image: the mirror's 404 sends the request there, and
    // its 404 ends the fetch at once (a closed port would be retried for the whole retry budget).
    try (TestRegistry server = TestRegistry.start()) {
      writeHostsToml(
          "server = \""
              + server.url()
              + "\"\n\n"
              + "[host.\""
              + mirror.url()
              + "\"]\n"
              + "  capabilities = [\"pull\", \"resolve\"]\n");

      assertThatThrownBy(
              () -> FetchWithHostsDir.run(REGISTRY + "/team/app:2.0", hostsDir, store, null, out))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("team/app:2.0");
      assertThat(mirror.requestLog().matching(null, "/v2/team/app/manifests/2.0")).isNotEmpty();
      assertThat(server.requestLog().matching(null, "/v2/team/app/manifests/2.0")).isNotEmpty();
    }
  }

  @Test
  void missingCaFileIsAnErrorNamingIt() throws IOException {
    writeHostsToml(
        "server = \"https://127.0.0.1:" + closedPort + "\"\n" + "ca = \"missing-ca.crt\"\n");

    assertThatThrownBy(
            () -> FetchWithHostsDir.run(REGISTRY + "/team/app:1.0", hostsDir, store, null, out))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("missing-ca.crt");
    assertThat(mirror.requestLog().entries()).isEmpty();
  }

  @Test
  void malformedHostsTomlIsAnErrorNamingTheFile() throws IOException {
    writeHostsToml("server = \"http://127.0.0.1:" + closedPort + "\"\n[host.\"broken\"\n");

    assertThatThrownBy(
            () -> FetchWithHostsDir.run(REGISTRY + "/team/app:1.0", hostsDir, store, null, out))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(hostsDir.resolve(REGISTRY).resolve("hosts.toml").toString());
  }
}
