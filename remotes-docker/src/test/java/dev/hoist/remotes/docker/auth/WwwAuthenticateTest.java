package dev.hoist.remotes.docker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WwwAuthenticateTest {

  private static Challenge c(String scheme, String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new Challenge(scheme, m);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "bearer with realm, service, scope",
            List.of(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:library/alpine:pull\""),
            List.of(
                c(
                    "bearer",
                    "realm",
                    "https://auth.example.com/token",
                    "service",
                    "registry.example.com",
                    "scope",
                    "repository:library/alpine:pull"))),
        Arguments.of(
            "scheme and keys are case-insensitive and lower-cased; values keep their case",
            List.of("BEARER Realm=\"https://A/Token\", SERVICE=Reg"),
            List.of(c("bearer", "realm", "https://A/Token", "service", "Reg"))),
        Arguments.of(
            "basic with token realm",
            List.of("Basic realm=registry"),
            List.of(c("basic", "realm", "registry"))),
        Arguments.of(
            "quoted string with escaped quote and backslash",
            List.of("Bearer realm=\"https://a/t\",error_description=\"say \\\"hi\\\" \\\\ now\""),
            List.of(c("bearer", "realm", "https://a/t", "error_description", "say \"hi\" \\ now"))),
        Arguments.of(
            "comma and equals inside a quoted value",
            List.of("Bearer realm=\"https://a/t\",scope=\"repository:x:pull,push\""),
            List.of(c("bearer", "realm", "https://a/t", "scope", "repository:x:pull,push"))),
        Arguments.of(
            "two challenges in one header value, basic first: bearer sorts first",
            List.of("Basic realm=\"r1\", Bearer realm=\"https://a/t\",service=s"),
            List.of(
                c("bearer", "realm", "https://a/t", "service", "s"), c("basic", "realm", "r1"))),
        Arguments.of(
            "two header values",
            List.of("Basic realm=\"b\"", "Bearer realm=\"https://a/t\""),
            List.of(c("bearer", "realm", "https://a/t"), c("basic", "realm", "b"))),
        Arguments.of(
            "token68 challenge followed by another challenge",
            List.of("Negotiate abc+/def==, Basic realm=x"),
            List.of(c("basic", "realm", "x"), c("negotiate"))),
        Arguments.of("scheme without parameters", List.of("Basic"), List.of(c("basic"))),
        Arguments.of(
            "whitespace around = and commas, empty list elements",
            List.of(" ,Bearer  realm = \"https://a/t\" ,, service = s , "),
            List.of(c("bearer", "realm", "https://a/t", "service", "s"))),
        Arguments.of(
            "duplicate parameter: the first wins",
            List.of("Bearer realm=\"https://first\",realm=\"https://second\""),
            List.of(c("bearer", "realm", "https://first"))),
        Arguments.of(
            "malformed: unterminated quote keeps what came before",
            List.of("Bearer realm=\"https://a/t\",service=\"unterminated"),
            List.of(c("bearer", "realm", "https://a/t"))),
        Arguments.of(
            "malformed: missing value stops, later challenges in that value are dropped",
            List.of("Bearer realm=,service=s, Basic realm=x"),
            List.of(c("bearer"))),
        Arguments.of(
            "malformed: junk between parameters stops parsing",
            List.of("Bearer realm=\"https://a/t\" junk service=s"),
            List.of(c("bearer", "realm", "https://a/t"))),
        Arguments.of(
            "malformed value does not spoil the next header value",
            List.of("Bearer realm=\"oops", "Basic realm=x"),
            List.of(c("bearer"), c("basic", "realm", "x"))),
        Arguments.of(
            "malformed: separator where the scheme belongs", List.of("=Bearer realm=x"), List.of()),
        Arguments.of("malformed: two bare words", List.of("Bearer a b"), List.of(c("bearer"))),
        Arguments.of("empty and blank values", List.of("", "   "), List.of()),
        Arguments.of(
            "escape at the very end is unterminated",
            List.of("Bearer realm=\"x\\"),
            List.of(c("bearer"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void parsesChallenges(String name, List<String> headers, List<Challenge> expected) {
    assertThat(WwwAuthenticate.parse(headers)).containsExactlyElementsOf(expected);
  }

  @Test
  void sortIsStableWithinAScheme() {
    List<Challenge> parsed =
        WwwAuthenticate.parse(
            List.of("Basic realm=one", "Bearer realm=\"https://x\"", "Basic realm=two"));

    assertThat(parsed)
        .extracting(ch -> ch.param("realm").orElseThrow())
        .containsExactly("https://x", "one", "two");
  }

  @Test
  void challengeAccessorsSplitScopesAndIgnoreCase() {
    Challenge ch =
        WwwAuthenticate.parse(
                List.of(
                    "Bearer Realm=\"https://a/t\",Scope=\"repository:a:pull  repository:b:pull\",Error=invalid_token"))
            .get(0);

    assertThat(ch.isBearer()).isTrue();
    assertThat(ch.realm()).contains("https://a/t");
    assertThat(ch.scopes()).containsExactly("repository:a:pull", "repository:b:pull");
    assertThat(ch.error()).contains("invalid_token");
    assertThat(ch.param("REALM")).contains("https://a/t");
  }

  @Test
  void nullOrEmptyInputGivesNoChallenges() {
    assertThat(WwwAuthenticate.parse(null)).isEmpty();
    assertThat(WwwAuthenticate.parse(List.of())).isEmpty();
  }

  @Test
  @Timeout(5)
  void refusesAOneMebibyteHeaderCleanly() {
    String huge = "Bearer realm=\"" + "a".repeat(1024 * 1024) + "\"";

    assertThatThrownBy(() -> WwwAuthenticate.parse(List.of(huge)))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("WWW-Authenticate")
        .hasMessageContaining(String.valueOf(WwwAuthenticate.MAX_TOTAL_CHARS));
  }

  @Test
  @Timeout(5)
  void parsesHeadersJustUnderTheLimitInLinearTime() {
    StringBuilder b = new StringBuilder("Bearer realm=\"https://a/t\"");
    while (b.length() < WwwAuthenticate.MAX_TOTAL_CHARS - 20) {
      b.append(",k=\"\\\"v\"");
    }

    List<Challenge> parsed = WwwAuthenticate.parse(List.of(b.toString()));

    assertThat(parsed).hasSize(1);
    assertThat(parsed.get(0).realm()).contains("https://a/t");
  }

  @Test
  void keepsAtMostTheChallengeLimit() {
    String many = String.join(", ", java.util.Collections.nCopies(200, "Basic realm=x"));

    assertThat(WwwAuthenticate.parse(List.of(many))).hasSize(WwwAuthenticate.MAX_CHALLENGES);
  }
}
