package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A token server's answer (distribution token spec and OAuth2): {@code token} or {@code
 * access_token}, {@code expires_in}, {@code issued_at}, {@code refresh_token}. {@link #toString()}
 * redacts the tokens.
 *
 * @param token the bearer token, never empty
 * @param expiresInSeconds {@code expires_in}, 0 when absent or not positive
 * @param issuedAt {@code issued_at}, or null when absent or unparseable
 * @param refreshToken {@code refresh_token}, or null
 */
public record TokenResponse(
    String token, long expiresInSeconds, Instant issuedAt, String refreshToken) {

  /**
   * Parses a token response body.
   *
   * @param source names the token server in error messages, e.g. {@code auth.example.com}
   * @throws InvalidArgumentException when the body is not a JSON object with a token
   */
  public static TokenResponse parse(byte[] body, String source) {
    Object parsed;
    try {
      parsed = Json.parseLenient(body);
    } catch (IOException e) {
      // No cause and no content: the body might echo credentials.
      throw new InvalidArgumentException("token response from " + source + " is not valid JSON");
    }
    if (!(parsed instanceof Map)) {
      throw new InvalidArgumentException("token response from " + source + " is not a JSON object");
    }
    Map<?, ?> root = (Map<?, ?>) parsed;
    String token = text(root, "token");
    String access = text(root, "access_token");
    if (!access.isEmpty()) {
      token = access; // as containerd: access_token wins when both are set
    }
    if (token.isEmpty()) {
      throw new InvalidArgumentException("token response from " + source + " has no token");
    }
    long expiresIn = seconds(root.get("expires_in"));
    Instant issuedAt = null;
    String issued = text(root, "issued_at");
    if (!issued.isEmpty()) {
      try {
        issuedAt = OffsetDateTime.parse(issued).toInstant();
      } catch (DateTimeParseException e) {
        issuedAt = null; // unusable: fall back to the local receive time
      }
    }
    String refresh = text(root, "refresh_token");
    return new TokenResponse(
        token, Math.max(0, expiresIn), issuedAt, refresh.isEmpty() ? null : refresh);
  }

  private static String text(Map<?, ?> root, String field) {
    Object n = root.get(field);
    return n instanceof String ? (String) n : "";
  }

  /** A number, or a string holding one (some token servers quote it); else 0. */
  private static long seconds(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    if (v instanceof String) {
      try {
        return Long.parseLong(((String) v).strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "TokenResponse[token=***, expiresIn="
        + expiresInSeconds
        + ", issuedAt="
        + issuedAt
        + ", refreshToken="
        + (refreshToken == null ? "none" : "***")
        + "]";
  }
}
