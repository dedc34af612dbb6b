package dev.hoist.remotes.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DockerConfigCredentialsTest {

  @TempDir Path dir;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private DockerConfigCredentials write(String json) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, json);
    return DockerConfigCredentials.builder()
        .configFile(f)
        .helperDirectories(List.of(dir.resolve("bin")))
        .build();
  }

  private Path helper(String name, String script) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path p = bin.resolve("docker-credential-" + name);
    Files.writeString(p, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void decodesBase64AuthEntries() throws IOException {
    DockerConfigCredentials c =
        write("{\"auths\":{\"registry.example.com\":{\"auth\":\"" + b64("alice:pa:ss") + "\"}}}");

    assertThat(c.credentials("registry.example.com")).contains(Credentials.of("alice", "pa:ss"));
    assertThat(c.credentials("other.example.com")).isEmpty();
  }

  @Test
  void readsUsernamePasswordAndIdentityTokenEntries() throws IOException {
    DockerConfigCredentials c =
        write(
            "{\"auths\":{"
                + "\"a.example\":{\"username\":\"bob\",\"password\":\"pw\"},"
                + "\"b.example\":{\"auth\":\""
                + b64("ignored:x")
                + "\",\"identitytoken\":\"idtok\"}}}");

    assertThat(c.credentials("a.example")).contains(Credentials.of("bob", "pw"));
    assertThat(c.credentials("b.example")).contains(Credentials.identityToken("idtok"));
  }

  @Test
  void dockerHubKeyServesEveryHubHostName() throws IOException {
    DockerConfigCredentials c =
        write(
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + b64("hubuser:hubpw")
                + "\"}}}");

    assertThat(c.credentials("registry-1.docker.io")).contains(Credentials.of("hubuser", "hubpw"));
    assertThat(c.credentials("docker.io")).isPresent();
  }

  @Test
  void keysWithSchemeAndPathAreNormalised() throws IOException {
    DockerConfigCredentials c =
        write(
            "{\"auths\":{\"https://registry.example.com:5000/v2/\":{\"auth\":\""
                + b64("u:p")
                + "\"}}}");

    assertThat(c.credentials("registry.example.com:5000")).contains(Credentials.of("u", "p"));
  }

  @Test
  void missingFileMeansNoCredentials() {
    DockerConfigCredentials c =
        DockerConfigCredentials.builder().configFile(dir.resolve("absent.json")).build();

    assertThat(c.credentials("registry.example.com")).isEmpty();
  }

  @Test
  void findsConfigThroughDockerConfigThenHome() throws IOException {
    Path dockerConfig = Files.createDirectories(dir.resolve("dc"));
    Path home = Files.createDirectories(dir.resolve("home/.docker"));

    assertThat(
            DockerConfigCredentials.builder()
                .environment(Map.of("DOCKER_CONFIG", dockerConfig.toString(), "HOME", "/x"))
                .build()
                .configFile())
        .isEqualTo(dockerConfig.resolve("config.json"));
    assertThat(
            DockerConfigCredentials.builder()
                .environment(Map.of("HOME", home.getParent().toString()))
                .build()
                .configFile())
        .isEqualTo(home.resolve("config.json"));
  }

  @Test
  void malformedJsonNamesTheFileButNotItsContent() throws IOException {
    DockerConfigCredentials c = write("{\"auths\":{\"r\":{\"auth\":\"c2VjcmV0LXB3\"}");

    assertThatThrownBy(() -> c.credentials("r"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(dir.resolve("config.json").toString())
        .hasMessageNotContaining("c2VjcmV0LXB3");
  }

  @Test
  void authThatIsNotBase64UserPasswordIsRefusedWithoutEchoingIt() throws IOException {
    DockerConfigCredentials notBase64 =
        write("{\"auths\":{\"r.example\":{\"auth\":\"%%%secret%%%\"}}}");
    assertThatThrownBy(() -> notBase64.credentials("r.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("r.example")
        .hasMessageNotContaining("secret");

    DockerConfigCredentials noColon =
        write("{\"auths\":{\"r.example\":{\"auth\":\"" + b64("justsecret") + "\"}}}");
    assertThatThrownBy(() -> noColon.credentials("r.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("user:password")
        .hasMessageNotContaining("justsecret");
  }

  @Test
  void wrongTypesAreInvalidArguments() throws IOException {
    assertThatThrownBy(() -> write("[]").credentials("r"))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> write("{\"auths\":[]}").credentials("r"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("auths");
    assertThatThrownBy(() -> write("{\"credHelpers\":{\"r\":1}}").credentials("r"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("credHelpers");
  }

  @Test
  void credHelperForTheHostIsAskedWithTheHostOnStdin() throws IOException {
    helper(
        "test",
        "read host\n"
            + "if [ \"$1\" = get ] && [ \"$host\" = registry.example.com ]; then\n"
            + "  echo '{\"ServerURL\":\"registry.example.com\",\"Username\":\"helper-user\",\"Secret\":\"helper-secret\"}'\n"
            + "else echo \"credentials not found in native keychain\"; exit 1; fi\n");
    DockerConfigCredentials c =
        write(
            "{\"credHelpers\":{\"registry.example.com\":\"test\"},"
                + "\"auths\":{\"registry.example.com\":{\"auth\":\""
                + b64("file:pw")
                + "\"}}}");

    assertThat(c.credentials("registry.example.com"))
        .contains(Credentials.of("helper-user", "helper-secret"));
  }

  @Test
  void credsStoreServesEveryHostAndHubIsAskedByItsIndexUrl() throws IOException {
    helper(
        "store",
        "read host\n"
            + "if [ \"$host\" = https://index.docker.io/v1/ ]; then\n"
            + "  echo '{\"Username\":\"<token>\",\"Secret\":\"hub-identity\"}'\n"
            + "else echo \"credentials not found in native keychain\"; exit 1; fi\n");
    DockerConfigCredentials c =
        write(
            "{\"credsStore\":\"store\",\"auths\":{\"fallback.example\":{\"auth\":\""
                + b64("f:pw")
                + "\"}}}");

    assertThat(c.credentials("registry-1.docker.io"))
        .contains(new Credentials("<token>", "hub-identity"));
    assertThat(c.credentials("registry-1.docker.io").orElseThrow().isIdentityToken()).isTrue();
    assertThat(c.credentials("fallback.example")).contains(Credentials.of("f", "pw"));
    assertThat(c.credentials("unknown.example")).isEmpty();
  }

  @Test
  void failingHelperIsUnauthorizedAndNeverEchoesItsJsonOutput() throws IOException {
    helper("broken", "echo '{\"Secret\":\"leaked-secret\"}'; echo 'keychain locked' >&2; exit 3\n");
    DockerConfigCredentials c = write("{\"credsStore\":\"broken\"}");

    assertThatThrownBy(() -> c.credentials("r.example"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("docker-credential-broken")
        .hasMessageContaining("exit status 3")
        .hasMessageContaining("keychain locked")
        .hasMessageNotContaining("leaked-secret");
  }

  @Test
  void malformedHelperAnswerIsInvalidArgument() throws IOException {
    helper("garbage", "echo 'not json secret-ish'\n");
    DockerConfigCredentials c = write("{\"credsStore\":\"garbage\"}");

    assertThatThrownBy(() -> c.credentials("r.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("docker-credential-garbage")
        .hasMessageNotContaining("secret-ish");
  }

  @Test
  void hangingHelperTimesOut() throws IOException {
    helper("slow", "exec sleep 30\n");
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"credsStore\":\"slow\"}");
    DockerConfigCredentials c =
        DockerConfigCredentials.builder()
            .configFile(f)
            .helperDirectories(List.of(dir.resolve("bin")))
            .helperTimeout(Duration.ofMillis(300))
            .build();

    assertThatThrownBy(() -> c.credentials("r.example"))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("did not answer within");
  }

  @Test
  void missingHelperIsWarnedOnceAndSkippedInFavourOfAuths() throws IOException {
    DockerConfigCredentials c =
        write(
            "{\"credsStore\":\"desktop\",\"auths\":{\"r.example\":{\"auth\":\""
                + b64("u:p")
                + "\"}}}");

    String log;
    try (StderrCapture capture = new StderrCapture()) {
      assertThat(c.credentials("r.example")).contains(Credentials.of("u", "p"));
      assertThat(c.credentials("other.example")).isEmpty();
      log = capture.text();
    }

    assertThat(log).contains("docker-credential-desktop").contains("config.json");
    assertThat(log.split("docker-credential-desktop", -1)).hasSize(2); // warned once
  }

  @Test
  void helperNameWithPathSeparatorIsRefused() throws IOException {
    DockerConfigCredentials c = write("{\"credsStore\":\"../../bin/sh\"}");

    assertThatThrownBy(() -> c.credentials("r.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("invalid credential helper name");
  }
}
