package dev.hoist.remotes.docker.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.docker.auth.Credentials;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

  private static final String SECRET = "p@ss w/rd+&=1";
  private static final TokenRequest REQ =
      new TokenRequest(
          URI.create("https://auth.example/token"),
          "svc",
          List.of(),
          Credentials.of("alice", SECRET),
          "refresh-R3fr3sh");

  @Test
  void literalPasswordIsRedacted() {
    assertThat(Redaction.redact("bad password " + SECRET, REQ)).isEqualTo("bad password ***");
  }

  @Test
  void urlEncodedPasswordIsRedactedInBothSpaceForms() {
    String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);

    assertThat(Redaction.redact("body was password=" + form, REQ))
        .doesNotContain(form)
        .contains("***");
    String pct = form.replace("+", "%20");
    assertThat(Redaction.redact("saw " + pct + " here", REQ)).isEqualTo("saw *** here");
  }

  @Test
  void base64OfUserAndPasswordIsRedactedEvenWithoutTheBasicPrefix() {
    byte[] pair = ("alice:" + SECRET).getBytes(StandardCharsets.UTF_8);
    String std = Base64.getEncoder().encodeToString(pair);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(pair);

    assertThat(Redaction.redact("credentials " + std + " refused", REQ))
        .isEqualTo("credentials *** refused");
    assertThat(Redaction.redact("credentials " + url + " refused", REQ))
        .isEqualTo("credentials *** refused");
  }

  @Test
  void base64OfThePasswordAloneIsRedacted() {
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));

    assertThat(Redaction.redact("pw=" + b64, REQ)).isEqualTo("pw=***");
  }

  @Test
  void refreshTokenIsRedacted() {
    assertThat(Redaction.redact("refresh token refresh-R3fr3sh expired", REQ))
        .isEqualTo("refresh token *** expired");
  }

  @Test
  void echoedBearerTokenWeDidNotSendIsRedactedByShape() {
    assertThat(Redaction.redact("invalid token: Bearer QWxhZGRpbjpvcGVu1234", REQ))
        .isEqualTo("invalid token: Bearer ***");
  }
}
