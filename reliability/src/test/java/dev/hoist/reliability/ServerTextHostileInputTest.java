package dev.hoist.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-controlled text (a challenge realm, a token server's error, a registry's error list)
 * reaches the user's terminal only as one bounded, printable line: no ESC/BEL/CSI sequence, no C1
 * control, no echoed token.
 */
@Timeout(60)
class ServerTextHostileInputTest {

  /** ESC to clear the screen, OSC to set the window title ended by BEL, a C1 CSI, a fake prompt. */
  private static final String TERMINAL_ATTACK =
      "\u001b[2J\u001b]0;pwned\u0007\u009b31m\u0085$ sudo rm -rf /";

  private static final String CONTROLS = "[\\x00-\\x1f\\x7f-\\x9f]";

  @TempDir Path dir;

  @Test
  void hostileRealmOfThirtyKilobytesBecomesOneShortPrintableLine() throws Exception {
    String realm = TERMINAL_ATTACK + "x".repeat(30_000);
    try (RawServer server =
        new RawServer(
            ex -> {
              ex.getResponseHeaders()
                  .add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"evil\"");
              ex.sendResponseHeaders(401, -1);
            })) {
      Throwable t = fetchFails(server.host() + "/evil/app:1", DockerAuthorizer.builder().build());

      assertThat(t.getMessage()).contains(server.host()).contains("realm").hasSizeLessThan(600);
      assertThat(t.getMessage()).doesNotContainPattern(CONTROLS);
    }
  }

  @Test
  void tokenServerErrorWithTerminalEscapesIsSanitized() throws Exception {
    try (RawServer server =
        new RawServer(
            ex -> {
              if (ex.getRequestURI().getPath().startsWith("/token")) {
                json(
                    ex,
                    401,
                    "{\"error\":\"unauthorized\",\"error_description\":\""
                        + jsonEscape(TERMINAL_ATTACK)
                        + "\"}");
                return;
              }
              challenge(ex);
            })) {
      Throwable t = fetchFails(server.host() + "/evil/app:1", DockerAuthorizer.builder().build());

      assertThat(t).isInstanceOf(UnauthorizedException.class);
      assertThat(t.getMessage()).contains("sudo rm").doesNotContainPattern(CONTROLS);
    }
  }

  @Test
  void registryErrorMessageWithC1ControlsIsSanitizedAndCapped() throws Exception {
    String message = jsonEscape(TERMINAL_ATTACK) + "y".repeat(5_000);
    try (RawServer server =
        new RawServer(
            ex -> {
              if (headRefused(ex)) {
                return;
              }
              json(
                  ex,
                  400,
                  "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"" + message + "\"}]}");
            })) {
      Throwable t = fetchFails(server.host() + "/evil/app:1", Authorizer.NONE);

      assertThat(t).isInstanceOf(InvalidArgumentException.class);
      assertThat(t.getMessage())
          .contains("NAME_INVALID")
          .doesNotContainPattern(CONTROLS)
          .hasSizeLessThan(1_000);
    }
  }

  @Test
  void bearerTokenEchoedInARegistryErrorBodyIsRedacted() throws Exception {
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJlLXNlY3JldA";
    try (RawServer server =
        new RawServer(
            ex -> {
              if (ex.getRequestURI().getPath().startsWith("/token")) {
                json(ex, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
                return;
              }
              String auth = ex.getRequestHeaders().getFirst("Authorization");
              if (auth != null && headRefused(ex)) {
                return;
              }
              if (auth == null) {
                challenge(ex);
                return;
              }
              // A registry that echoes what it was sent: the header, and the token as a detail
              // field.
              json(
                  ex,
                  403,
                  "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"token rejected: "
                      + auth
                      + "\",\"detail\":{\"token\":\""
                      + token
                      + "\"}}]}");
            })) {
      Throwable t = fetchFails(server.host() + "/evil/app:1", DockerAuthorizer.builder().build());

      assertThat(t).isInstanceOf(UnauthorizedException.class).hasMessageContaining("DENIED");
      assertThat(t.getMessage())
          .doesNotContain(token)
          .doesNotContain("c2lnbmF0dXJl")
          .contains("Bearer ***");
    }
  }

  private Throwable fetchFails(String ref, Authorizer authorizer) throws IOException {
    LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(
            () ->
                Fetches.fetch(
                    store,
                    ref,
                    Fetches.resolver(new RecordingSleeper()).authorizer(h -> authorizer).build()))
        .isInstanceOf(HoistException.class)
        .satisfies(t -> thrown[0] = t);
    return thrown[0];
  }

  /** Answers HEAD with 405, so that the client asks again with GET and reads the error body. */
  private static boolean headRefused(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("HEAD")) {
      return false;
    }
    ex.sendResponseHeaders(405, -1);
    return true;
  }

  private static void challenge(HttpExchange ex) throws IOException {
    String realm =
        "http://"
            + ex.getLocalAddress().getHostString()
            + ":"
            + ex.getLocalAddress().getPort()
            + "/token";
    ex.getResponseHeaders()
        .add("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"evil\"");
    ex.sendResponseHeaders(401, -1);
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
    if (!ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseBody().write(b);
    }
  }

  /** JSON string escapes for the controls, so that the parser hands them back as characters. */
  private static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
