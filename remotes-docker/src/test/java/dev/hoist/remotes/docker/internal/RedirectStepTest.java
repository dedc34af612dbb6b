package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The redirect step: which replies are followed, to which targets, with what. */
class RedirectStepTest {

  @ParameterizedTest
  @CsvSource({
    "https://r.example/v2/a/blobs/x, https://cdn.example/obj?sig=1, https://cdn.example/obj?sig=1",
    "https://r.example/v2/a/blobs/x, /other/path, https://r.example/other/path",
    "http://localhost:5000/v2/a/blobs/x, http://127.0.0.1:9000/b, http://127.0.0.1:9000/b",
    "http://localhost:5000/v2/a/blobs/x, https://cdn.example/b, https://cdn.example/b",
  })
  void followsHttpTargets(String from, String location, String expected) {
    assertThat(RedirectStep.resolveLocation(URI.create(from), location))
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
    assertThatThrownBy(() -> RedirectStep.resolveLocation(URI.create(from), location))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aHostileLocationIsCleanedBeforeItReachesTheMessage() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    String location = "http://[bad\u001b]0;owned\u0007\u202e?access_token=" + jwt + "x".repeat(500);

    assertThatThrownBy(
            () -> RedirectStep.resolveLocation(URI.create("https://r.example/v2/a"), location))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("malformed redirect Location")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("\u001b", "\u0007", "\u202e", jwt, "x".repeat(101))
                    .hasLineCount(1));
  }

  static final URI REGISTRY = URI.create("https://r.example/v2/a/blobs/x");

  /** {@code method, status, location, hop -> followed target or "answer", to the registry?} */
  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "GET, 200, null, 0, answer, false",
        "GET, 404, https://cdn.example/o, 0, answer, false",
        "HEAD, 307, https://cdn.example/o, 0, answer, false",
        "GET, 301, https://cdn.example/o, 0, https://cdn.example/o, false",
        "GET, 302, https://cdn.example/o, 0, https://cdn.example/o, false",
        "GET, 303, https://cdn.example/o, 0, https://cdn.example/o, false",
        "GET, 307, /v2/a/blobs/y, 0, https://r.example/v2/a/blobs/y, true",
        "GET, 308, https://R.EXAMPLE/v2/z, 9, https://R.EXAMPLE/v2/z, true",
        "GET, 304, https://cdn.example/o, 0, answer, false",
      })
  void decidesOnEachReply(
      String method, int status, String location, int hop, String expected, boolean toRegistry) {
    RedirectStep.Next next = RedirectStep.next(REGISTRY, method, REGISTRY, status, location, hop);

    if (expected.equals("answer")) {
      assertThat(next).isInstanceOf(RedirectStep.Answer.class);
    } else {
      assertThat(next).isEqualTo(new RedirectStep.Follow(URI.create(expected), toRegistry));
    }
  }

  @Test
  void aRedirectWithoutLocationIsAnError() {
    assertThatThrownBy(() -> RedirectStep.next(REGISTRY, "GET", REGISTRY, 302, null, 0))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("without a Location header");
  }

  @Test
  void theEleventhRedirectIsRefused() {
    assertThat(RedirectStep.next(REGISTRY, "GET", REGISTRY, 302, "/v2/b", 9))
        .isInstanceOf(RedirectStep.Follow.class);
    assertThatThrownBy(() -> RedirectStep.next(REGISTRY, "GET", REGISTRY, 302, "/v2/b", 10))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("more than 10 redirects");
  }

  @Test
  void aHopFromAnotherHostBackToTheRegistryGoesToTheRegistryAgain() {
    URI cdn = URI.create("https://cdn.example/o");

    assertThat(RedirectStep.next(REGISTRY, "GET", cdn, 307, "https://r.example/v2/a/blobs/x", 1))
        .isEqualTo(new RedirectStep.Follow(REGISTRY, true));
  }
}
