package dev.hoist.errors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTextTest {

  @Test
  void escapeBellAndC1ControlsBecomeSpaces() {
    String hostile = "realm\u001b[2J\u001b]0;pwned\u0007 \u009b31m\u0085end\r\nfake prompt$ \u007f";

    String clean = ServerText.clean(hostile);

    assertThat(clean).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]");
    assertThat(clean).startsWith("realm [2J ]0;pwned").contains("end  fake prompt$");
  }

  @Test
  void bidiOverridesAndLineSeparatorsBecomeSpaces() {
    assertThat(ServerText.clean("a\u202eb\u2028c\u2066d")).isEqualTo("a b c d");
  }

  @Test
  void longTextIsCappedWithAnEllipsis() {
    String realm = "https://evil.example/" + "A".repeat(30_000);

    String clean = ServerText.clean(realm);

    assertThat(clean).hasSize(ServerText.DEFAULT_MAX_CHARS + 1).endsWith("\u2026");
    assertThat(ServerText.clean("x".repeat(10), 10)).isEqualTo("x".repeat(10));
    assertThat(ServerText.clean("x".repeat(11), 10)).isEqualTo("x".repeat(10) + "\u2026");
  }

  @Test
  void aSurrogatePairIsNeverCutInHalf() {
    String clean = ServerText.clean("abc\uD83D\uDE00def", 4);

    assertThat(clean).isEqualTo("abc\u2026");
  }

  @Test
  void nullAndEmptyGiveEmptyText() {
    assertThat(ServerText.clean(null)).isEmpty();
    assertThat(ServerText.clean("")).isEmpty();
  }

  @Test
  void echoedBearerAndBasicValuesAreRedacted() {
    String echoed = "token Bearer abcDEF123.xyz rejected; header was Basic dXNlcjpwYXNz";

    String clean = ServerText.clean(echoed);

    assertThat(clean).isEqualTo("token Bearer *** rejected; header was Basic ***");
  }

  @Test
  void proseAboutBasicAuthenticationIsLeftReadable() {
    assertThat(ServerText.clean("basic authentication required"))
        .isEqualTo("basic authentication required");
  }

  @Test
  void jsonWebTokensAndTokenFieldsAreRedacted() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
    String body =
        "{\"token\": \"opaque-1\", \"refresh_token\":\"r2\"} saw "
            + jwt
            + " and access_token=s3cr3t&x=1";

    String clean = ServerText.clean(body, 1000);

    assertThat(clean).doesNotContain("opaque-1", "r2\"", "eyJ", "s3cr3t");
    assertThat(clean)
        .contains("\"token\": \"***\"", "\"refresh_token\":\"***\"", "access_token=***&x=1");
  }

  @Test
  void redactionHappensBeforeTheCapSoNoPrefixOfASecretSurvives() {
    String clean = ServerText.clean("x".repeat(180) + " Bearer ABCDEFGHIJKLMNOPQRSTUVWXYZ", 200);

    assertThat(clean).doesNotContain("ABCDEFG").contains("Bearer ***");
  }
}
