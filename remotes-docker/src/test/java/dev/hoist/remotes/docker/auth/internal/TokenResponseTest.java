package dev.hoist.remotes.docker.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponseTest {

  static TokenResponse parse(String json) {
    return TokenResponse.parse(json.getBytes(StandardCharsets.UTF_8), "auth.example.com");
  }

  @Test
  void accessTokenWinsOverTokenAndFieldsAreRead() {
    TokenResponse r =
        parse(
            "{\"token\":\"t\",\"access_token\":\"a\",\"expires_in\":120,"
                + "\"issued_at\":\"2026-01-01T00:00:00.123Z\",\"refresh_token\":\"r\"}");

    assertThat(r.token()).isEqualTo("a");
    assertThat(r.expiresInSeconds()).isEqualTo(120);
    assertThat(r.issuedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123Z"));
    assertThat(r.refreshToken()).isEqualTo("r");
    assertThat(r.toString())
        .contains("token=***")
        .doesNotContain("token=a")
        .doesNotContain("refreshToken=r");
  }

  @Test
  void emptyAccessTokenFallsBackToTokenAndBadIssuedAtIsIgnored() {
    TokenResponse r =
        parse(
            "{\"token\":\"t\",\"access_token\":\"\",\"expires_in\":-5,\"issued_at\":\"yesterday\"}");

    assertThat(r.token()).isEqualTo("t");
    assertThat(r.expiresInSeconds()).isZero();
    assertThat(r.issuedAt()).isNull();
    assertThat(r.refreshToken()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "<html>", "[]", "\"token\"", "{\"token\":\"\"}", "{\"token\":42}", "{}"})
  void malformedBodiesAreInvalidArgumentsNamingTheServer(String body) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("auth.example.com");
  }

  @Test
  void lifetimeDefaultsToAndIsAtLeastSixtySecondsFromIssuedAt() {
    Instant now = Instant.parse("2026-01-01T00:10:00Z");

    assertThat(TokenLifetime.expiresAt(new TokenResponse("t", 0, null, null), now))
        .isEqualTo(now.plusSeconds(60));
    assertThat(TokenLifetime.expiresAt(new TokenResponse("t", 10, null, null), now))
        .isEqualTo(now.plusSeconds(60));
    assertThat(
            TokenLifetime.expiresAt(new TokenResponse("t", 300, now.minusSeconds(100), null), now))
        .isEqualTo(now.plusSeconds(200));
    // issued in the future (server clock ahead): counted from now
    assertThat(TokenLifetime.expiresAt(new TokenResponse("t", 300, now.plusSeconds(50), null), now))
        .isEqualTo(now.plusSeconds(300));
    // issued so long ago it would already be expired: the server's clock is off, trust ours
    assertThat(
            TokenLifetime.expiresAt(new TokenResponse("t", 300, now.minusSeconds(3600), null), now))
        .isEqualTo(now.plusSeconds(300));
  }
}
