package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which redirect targets are followed. */
class RequesterLocationTest {

  @ParameterizedTest
  @CsvSource({
    "https://r.example/v2/a/blobs/x, https://cdn.example/obj?sig=1, https://cdn.example/obj?sig=1",
    "https://r.example/v2/a/blobs/x, /other/path, https://r.example/other/path",
    "http://localhost:5000/v2/a/blobs/x, http://127.0.0.1:9000/b, http://127.0.0.1:9000/b",
    "http://localhost:5000/v2/a/blobs/x, https://cdn.example/b, https://cdn.example/b",
  })
  void followsHttpTargets(String from, String location, String expected) {
    assertThat(Requester.resolveLocation(URI.create(from), location))
        .isEqualTo(URI.create(expected));
  }

  @ParameterizedTest
  @CsvSource({
    "https://r.example/v2/a/blobs/x, http://cdn.example/obj, from https to http",
    "https://r.example/v2/a/blobs/x, file:///etc/passwd, scheme \"file\"",
    "https://r.example/v2/a/blobs/x, ftp://cdn.example/obj, scheme \"ftp\"",
    "https://r.example/v2/a/blobs/x, jar:file:/x.jar!/y, scheme \"jar\"",
    "https://r.example/v2/a/blobs/x, http://[bad, malformed redirect Location",
  })
  void refusesOtherTargets(String from, String location, String message) {
    assertThatThrownBy(() -> Requester.resolveLocation(URI.create(from), location))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aHostileLocationIsCleanedBeforeItReachesTheMessage() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    String location = "http://[bad\u001b]0;owned\u0007\u202e?access_token=" + jwt + "x".repeat(500);

    assertThatThrownBy(
            () -> Requester.resolveLocation(URI.create("https://r.example/v2/a"), location))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("malformed redirect Location")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("\u001b", "\u0007", "\u202e", jwt, "x".repeat(101))
                    .hasLineCount(1));
  }
}
