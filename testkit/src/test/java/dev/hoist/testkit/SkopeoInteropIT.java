package dev.hoist.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with an independent registry client: skopeo (containers/image) pulls from and
 * pushes to the test registry, through its auth flows. Skipped when /usr/bin/skopeo is missing,
 * unless {@code hoist.requireRegistry} is set, in which case it fails.
 *
 * <p>Each skopeo run against a registry first tries HTTPS (that is what {@code --tls-verify=false}
 * means to containers/image) and falls back to HTTP only after its 10 s TLS handshake timeout,
 * because the JDK server waits silently for a request line that a ClientHello never completes.
 * Hence the generous timeout.
 */
@Timeout(180)
class SkopeoInteropIT {

  private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

  @BeforeAll
  static void needSkopeo() {
    if (!Files.isExecutable(SKOPEO)) {
      String require = System.getProperty("hoist.requireRegistry", "");
      if (require.equals("1") || require.equalsIgnoreCase("true")) {
        fail("hoist.requireRegistry is set but " + SKOPEO + " is missing");
      }
      Assumptions.abort(SKOPEO + " is not installed");
    }
  }

  @Test
  void skopeoPullsAMultiPlatformImageThroughBearerAuth(@TempDir Path dir) throws Exception {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8")
                .layers(2, 200_000)
                .tarGzLayers()
                .build());
    try (TestRegistry registry = TestRegistry.builder().bearerAuth("user", "pw").start()) {
      registry.push("library/app:1", image);

      String out =
          skopeo(
              "copy",
              "--all",
              "--src-tls-verify=false",
              "--src-creds",
              "user:pw",
              "docker://" + registry.reference("library/app:1"),
              "dir:" + dir.resolve("out"));

      for (Descriptor d : concat(image.layers(), image.configs())) {
        assertThat(dir.resolve("out").resolve(d.digest().hex()))
            .as(out)
            .hasBinaryContent(image.bytes(d));
      }
      assertThat(registry.requestLog().matching("GET", "^/token$")).isNotEmpty();
      assertThat(registry.requestLog().entries())
          .allSatisfy(r -> assertThat(r.status()).isIn(200, 206, 401));
    }
  }

  @Test
  void skopeoPushesThroughUploadsAndMountsWithBasicAuth() throws Exception {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64")
                .layers(2, 50_000)
                .tarGzLayers()
                .build());
    // compressed layers: skopeo would compress raw ones and change every digest
    try (TestRegistry registry = TestRegistry.builder().basicAuth("user", "pw").start()) {
      registry.push("library/app:1", image);

      String out =
          skopeo(
              "copy",
              "--all",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "--src-creds",
              "user:pw",
              "--dest-creds",
              "user:pw",
              "docker://" + registry.reference("library/app:1"),
              "docker://" + registry.reference("team/copy:2"));

      assertThat(registry.tag("team/copy", "2")).as(out).contains(image.root().digest());
      for (Descriptor d : concat(image.layers(), image.configs())) {
        assertThat(registry.hasBlob("team/copy", d.digest())).isTrue();
      }
      assertThat(registry.requestLog().matching("PUT", "^/v2/team/copy/manifests/")).hasSize(3);
    }
  }

  @Test
  void skopeoPushesFreshBlobsWithUploadSessions(@TempDir Path dir) throws Exception {
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder().layers(1, 300_000).tarGzLayers().docker().seed(11).build());
    try (TestRegistry source = TestRegistry.start();
        TestRegistry target = TestRegistry.builder().directory(dir).start()) {
      source.push("app:1", image);

      String out =
          skopeo(
              "copy",
              "--src-tls-verify=false",
              "--dest-tls-verify=false",
              "docker://" + source.reference("app:1"),
              "docker://" + target.reference("app:1"));

      assertThat(target.tag("app", "1")).as(out).contains(image.root().digest());
      assertThat(target.requestLog().matching("POST", "/blobs/uploads/$")).isNotEmpty();
      assertThat(target.requestLog().matching("PUT", "/blobs/uploads/").size()).isEqualTo(2);
    }
  }

  private static List<Descriptor> concat(List<Descriptor> a, List<Descriptor> b) {
    List<Descriptor> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String skopeo(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(SKOPEO.toString());
    cmd.add("--insecure-policy");
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes(); // ends when skopeo exits
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("skopeo did not finish: " + new String(output, StandardCharsets.UTF_8));
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("skopeo %s%n%s", cmd, text).isZero();
    return text;
  }
}
