package dev.hoist.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded token endpoint and the Basic/Bearer checks of {@code /v2/} requests.
 *
 * <p>Tokens are opaque random strings granting {@code repository:<name>:<action>} scopes until
 * {@code issued + lifetime} by the injected clock. {@code GET /token} takes optional Basic
 * credentials; {@code POST /token} takes an OAuth2 form with the {@code password} or {@code
 * refresh_token} grant, as distribution's token spec describes.
 */
public final class TokenService {

  static final String SERVICE = "testkit";

  private final AuthConfig config;
  private final String realm;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

  private static final class Token {
    final Set<String> grants; // "<repo>:<action>"
    final Instant expires;

    Token(Set<String> grants, Instant expires) {
      this.grants = grants;
      this.expires = expires;
    }
  }

  public TokenService(AuthConfig config, String realm) {
    this.config = config;
    this.realm = realm;
  }

  /** Forgets every issued access and refresh token, so clients must authenticate again. */
  public void invalidateAll() {
    tokens.clear();
    refreshTokens.clear();
  }

  /** Null when the request may proceed, else the 401 reply with the right challenge. */
  Reply check(Call call, String repo, boolean write) {
    String auth = call.header("Authorization");
    switch (config.mode) {
      case NONE:
        return null;
      case BASIC:
        if (auth != null
            && auth.regionMatches(true, 0, "Basic ", 0, 6)
            && credentialsMatch(auth.substring(6).trim())) {
          return null;
        }
        return Reply.error(401, "UNAUTHORIZED", "authentication required")
            .header("WWW-Authenticate", "Basic realm=\"" + SERVICE + "\"");
      default:
        return checkBearer(auth, repo, write);
    }
  }

  private Reply checkBearer(String auth, String repo, boolean write) {
    String scope =
        repo == null ? null : "repository:" + repo + ":" + (write ? "pull,push" : "pull");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return challenge(scope, null);
    }
    Token t = tokens.get(auth.substring(7).trim());
    if (t == null || !config.clock.instant().isBefore(t.expires)) {
      return challenge(scope, "invalid_token");
    }
    if (repo != null
        && !(t.grants.contains(repo + ":pull") && (!write || t.grants.contains(repo + ":push")))) {
      return challenge(scope, "insufficient_scope");
    }
    return null;
  }

  private Reply challenge(String scope, String error) {
    StringBuilder c =
        new StringBuilder("Bearer realm=\"")
            .append(realm)
            .append("\",service=\"")
            .append(SERVICE)
            .append('"');
    if (scope != null) {
      c.append(",scope=\"").append(scope).append('"');
    }
    if (error != null) {
      c.append(",error=\"").append(error).append('"');
    }
    return Reply.error(
            401,
            "UNAUTHORIZED",
            error == null ? "authentication required" : "token rejected: " + error)
        .header("WWW-Authenticate", c.toString());
  }

  /** Serves {@code GET /token} and {@code POST /token}. */
  Reply serveToken(Call call) throws IOException {
    if (call.method.equals("GET")) {
      String auth = call.header("Authorization");
      boolean authenticated = false;
      if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        if (!credentialsMatch(auth.substring(6).trim())) {
          return oauthError(401, "invalid_grant", "wrong username or password");
        }
        authenticated = true;
      } else if (config.username != null) {
        return oauthError(401, "invalid_client", "credentials required");
      }
      Map<String, Object> body = issue(call.params("scope"));
      if (authenticated && "true".equals(call.param("offline_token"))) {
        body.put("refresh_token", newRefreshToken());
      }
      return Reply.json(200, body);
    }
    if (call.method.equals("POST")) {
      Map<String, List<String>> form = Call.parseForm(readForm(call.body()));
      String grant = first(form, "grant_type");
      List<String> scopes = List.of(String.valueOf(first(form, "scope")).split(" "));
      if ("password".equals(grant)) {
        String user = first(form, "username");
        String pass = first(form, "password");
        if (config.username != null
            && !(config.username.equals(user) && equalsConstantTime(config.password, pass))) {
          return oauthError(401, "invalid_grant", "wrong username or password");
        }
        Map<String, Object> body = issue(scopes);
        body.put("refresh_token", newRefreshToken());
        return Reply.json(200, body);
      }
      if ("refresh_token".equals(grant)) {
        String rt = first(form, "refresh_token");
        if (rt == null || !refreshTokens.containsKey(rt)) {
          return oauthError(401, "invalid_grant", "unknown refresh token");
        }
        Map<String, Object> body = issue(scopes);
        body.put("refresh_token", rt);
        return Reply.json(200, body);
      }
      return oauthError(
          400, "unsupported_grant_type", "grant_type must be password or refresh_token");
    }
    return Reply.error(405, "UNSUPPORTED", call.method + " /token is not supported");
  }

  private Map<String, Object> issue(List<String> scopes) {
    Set<String> grants = new HashSet<>();
    StringBuilder granted = new StringBuilder();
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length == 3 && parts[0].equals("repository")) {
        for (String action : parts[2].split(",")) {
          if (action.equals("pull") || action.equals("push")) {
            grants.add(parts[1] + ":" + action);
          }
        }
        granted.append(granted.length() == 0 ? "" : " ").append(scope);
      }
    }
    Instant now = config.clock.instant();
    String token = randomToken();
    tokens.put(token, new Token(grants, now.plus(config.tokenLifetime)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("access_token", token);
    body.put("expires_in", config.tokenLifetime.toSeconds());
    body.put("issued_at", now.toString());
    body.put("scope", granted.toString());
    return body;
  }

  private String newRefreshToken() {
    String rt = randomToken();
    refreshTokens.put(rt, "");
    return rt;
  }

  private String randomToken() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private boolean credentialsMatch(String base64) {
    if (config.username == null) {
      return true;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    return colon >= 0
        && decoded.substring(0, colon).equals(config.username)
        && equalsConstantTime(config.password, decoded.substring(colon + 1));
  }

  private static boolean equalsConstantTime(String a, String b) {
    return b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply oauthError(int status, String error, String description) {
    return Reply.json(status, Map.of("error", error, "error_description", description));
  }

  private static String first(Map<String, List<String>> form, String key) {
    List<String> v = form.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static String readForm(InputStream in) throws IOException {
    byte[] b = in.readNBytes(64 * 1024);
    return new String(b, StandardCharsets.UTF_8);
  }
}
