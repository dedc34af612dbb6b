package dev.hoist.remotes.docker.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The missing-binary policy: skip locally, fail in CI, and always say how to install it. */
class DistributionRegistryTest {

  static final Path MISSING = Path.of("/nonexistent/docker-registry");
  final String saved = System.getProperty("hoist.requireRegistry");

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty("hoist.requireRegistry");
    } else {
      System.setProperty("hoist.requireRegistry", saved);
    }
  }

  @Test
  void missingBinarySkipsWithInstallHintByDefault() {
    System.clearProperty("hoist.requireRegistry");

    assertThatThrownBy(() -> DistributionRegistry.requireBinary(MISSING))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("apt-get install docker-registry")
        .hasMessageContaining(MISSING.toString());
  }

  @Test
  void missingBinaryFailsWhenTheRegistryIsRequired() {
    System.setProperty("hoist.requireRegistry", "1");

    assertThatThrownBy(() -> DistributionRegistry.requireBinary(MISSING))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("apt-get install docker-registry");
  }

  @Test
  void unresolvedMavenPropertyDoesNotCountAsRequired() {
    System.setProperty("hoist.requireRegistry", "${env.HOIST_REQUIRE_REGISTRY}");

    assertThatThrownBy(() -> DistributionRegistry.requireBinary(MISSING))
        .isInstanceOf(TestAbortedException.class);
  }

  @Test
  void configCombinesModesAndExtraYaml() throws Exception {
    DistributionRegistry r =
        DistributionRegistry.builder()
            .binary(MISSING)
            .htpasswd(Path.of("/tmp/htpasswd"))
            .tls(Path.of("/tmp/cert.pem"), Path.of("/tmp/key.pem"), Path.of("/tmp/ca.pem"))
            .extraConfig("notifications:\n  endpoints: []")
            .build();

    String yaml = r.configFor(Path.of("/tmp/store"), 5000);

    assertThat(yaml)
        .contains("level: info")
        .contains("addr: 127.0.0.1:5000")
        .contains("rootdirectory: \"/tmp/store\"")
        .contains("htpasswd:\n    realm: hoist-test\n    path: \"/tmp/htpasswd\"")
        .contains("certificate: \"/tmp/cert.pem\"")
        .contains("clientcas:\n      - \"/tmp/ca.pem\"")
        .endsWith("notifications:\n  endpoints: []\n");
    assertThatThrownBy(
            () ->
                DistributionRegistry.builder()
                    .htpasswd(Path.of("a"))
                    .tokenAuth("r", "s", "i", Path.of("b"))
                    .build())
        .isInstanceOf(IllegalStateException.class);
  }
}
