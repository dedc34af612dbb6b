package dev.hoist.remotes.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth end to end: Docker's distribution registry with an {@code htpasswd} file whose bcrypt
 * entry is made in the test, credentials given directly and through a Docker credential helper
 * script.
 */
@Timeout(60)
class DockerAuthBasicRegistryIT {

  static final String REPO = "basic/app";
  static final String USER = "bob";
  static final String PASSWORD = "htpasswd-Secret-1";

  static Path dir;
  static DistributionRegistry registry;
  static TestImage image;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("hoist-basic-it");
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String hash = OpenBSDBCrypt.generate(PASSWORD.toCharArray(), salt, 10); // "$2y$10$…"
    assertThat(hash).startsWith("$2y$10$");
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, USER + ":" + hash + "\n", StandardCharsets.UTF_8);
    registry = DistributionRegistry.builder().htpasswd(htpasswd).build();
    registry.start();
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    image = TestImage.push(RegistryPusher.to(registry).withAuthorization(() -> basic), REPO, "v1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static DockerResolver resolver(CredentialsProvider credentials) {
    DockerAuthorizer auth = DockerAuthorizer.builder().credentials(credentials).build();
    return DockerResolver.builder().authorizer(h -> auth).build();
  }

  String ref() {
    return registry.hostPort() + "/" + REPO + ":v1";
  }

  @Test
  void pullSucceedsWithTheRightPassword() throws Exception {
    DockerResolver resolver = resolver(CredentialsProvider.of(registry.hostPort(), USER, PASSWORD));

    Resolved r = resolver.resolve(ref());
    try (InputStream in = resolver.fetcher(r.name()).fetch(image.layer())) {
      assertThat(in.readAllBytes()).isEqualTo(image.layerBytes());
    }
    assertThat(r.descriptor()).isEqualTo(image.manifest());
  }

  @Test
  void wrongPasswordFailsCleanlyWithoutTheSecret() {
    DockerResolver resolver =
        resolver(CredentialsProvider.of(registry.hostPort(), USER, "wrong-" + PASSWORD));

    assertThatThrownBy(() -> resolver.resolve(ref()))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("pull access denied for " + REPO + " on " + registry.hostPort())
        .hasMessageContaining("user " + USER)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void noCredentialsIsUnauthorized() {
    assertThatThrownBy(() -> resolver(CredentialsProvider.none()).resolve(ref()))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void credentialsFromADockerCredentialHelperOnATemporaryPath(@TempDir Path tmp) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-test");
    Files.writeString(
        helper,
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || exit 2\n"
            + "read server\n"
            + "if [ \"$server\" = \""
            + registry.hostPort()
            + "\" ]; then\n"
            + "  printf '{\"ServerURL\":\"%s\",\"Username\":\""
            + USER
            + "\",\"Secret\":\""
            + PASSWORD
            + "\"}\\n' \"$server\"\n"
            + "else\n"
            + "  echo 'credentials not found in native keychain'; exit 1\n"
            + "fi\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    Path dockerConfig = Files.createDirectories(tmp.resolve("docker"));
    Files.writeString(
        dockerConfig.resolve("config.json"),
        "{\"credHelpers\":{\"" + registry.hostPort() + "\":\"test\"}}");
    DockerConfigCredentials fromConfig =
        DockerConfigCredentials.builder()
            .environment(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", bin.toString()))
            .build();

    Resolved r = resolver(fromConfig).resolve(ref());

    assertThat(r.descriptor()).isEqualTo(image.manifest());
    assertThat(fromConfig.credentials("other.example")).isEmpty();
  }

  @Test
  void credentialsFromDockerConfigAuths(@TempDir Path tmp) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        tmp.resolve("config.json"),
        "{\"auths\":{\"http://" + registry.hostPort() + "/v2/\":{\"auth\":\"" + auth + "\"}}}");
    DockerConfigCredentials fromConfig =
        DockerConfigCredentials.builder()
            .configFile(tmp.resolve("config.json"))
            .helperDirectories(List.of())
            .build();

    assertThat(resolver(fromConfig).resolve(ref()).descriptor()).isEqualTo(image.manifest());
  }
}
