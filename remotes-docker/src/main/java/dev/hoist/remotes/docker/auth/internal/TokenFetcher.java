package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.errors.internal.ServerText;
import dev.hoist.remotes.docker.auth.Credentials;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.HostClient;
import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains bearer tokens from a token server, as containerd's {@code auth.FetchToken} (GET) and
 * {@code auth.FetchTokenWithOAuth} (POST), with containerd's choice between them.
 *
 * <p>Credentials are sent to the realm, which may be another host than the registry: that is how
 * token auth works (the registry delegates to its token service). The caller decides whether the
 * realm may receive them at all (HTTPS, or plain HTTP where configured).
 */
public final class TokenFetcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TokenFetcher.class);
  private static final int MAX_BODY = 1024 * 1024;

  /** POST answers after which containerd retries with GET (GCR 404, Artifactory 401, ACR 400). */
  private static final Set<Integer> POST_FALLBACK = Set.of(400, 401, 404, 405);

  private final TransportOptions transport;
  private final Map<String, List<String>> headers;
  private final String userAgent;
  private final String clientId;
  private final Duration timeout;
  private final boolean oauthForPasswords;

  /** Made on the first token request: reading TLS files and pooling connections. */
  private HostClient client;

  private Http1Transport own;
  private boolean closed;

  /**
   * @param transport how token servers are reached (the registry host's options)
   * @param headers headers sent with every token request
   * @param userAgent the {@code User-Agent}
   * @param clientId the OAuth2 {@code client_id}
   * @param timeout how long a token request may take
   * @param oauthForPasswords whether passwords go through the OAuth2 POST first
   */
  public TokenFetcher(
      TransportOptions transport,
      Map<String, List<String>> headers,
      String userAgent,
      String clientId,
      Duration timeout,
      boolean oauthForPasswords) {
    this.transport = transport;
    this.headers = Map.copyOf(headers);
    this.userAgent = userAgent;
    this.clientId = clientId;
    this.timeout = timeout;
    this.oauthForPasswords = oauthForPasswords;
  }

  /**
   * Fetches a token.
   *
   * @throws UnauthorizedException when the token server refuses the credentials
   * @throws UnavailableException when it cannot be reached or is overloaded
   * @throws dev.hoist.errors.InvalidArgumentException when its answer is malformed
   * @param onKeptRefreshTokenRefused run when the server refuses {@link
   *     TokenRequest#refreshToken()}
   */
  public TokenResponse fetch(TokenRequest req, Runnable onKeptRefreshTokenRefused)
      throws IOException {
    Credentials creds = req.credentials();
    if (creds == null) {
      return get(req, null);
    }
    if (req.refreshToken() != null) {
      Reply r = post(req, "refresh_token", req.refreshToken(), null);
      if (r.ok()) {
        return parse(r, req);
      }
      onKeptRefreshTokenRefused.run();
      LOG.debug(
          "token server {} refused the kept refresh token (HTTP {}); using the credentials",
          req.realmHost(),
          r.status);
    }
    if (creds.isIdentityToken() || oauthForPasswords) {
      Reply r =
          creds.isIdentityToken()
              ? post(req, "refresh_token", creds.secret(), null)
              : post(req, "password", creds.secret(), creds.username());
      if (r.ok()) {
        return parse(r, req);
      }
      if (!POST_FALLBACK.contains(r.status)) {
        throw failure(r, req, "POST");
      }
      LOG.debug(
          "token server {} answered the OAuth2 POST with HTTP {}; falling back to GET",
          req.realmHost(),
          r.status);
    }
    return get(req, creds);
  }

  private TokenResponse get(TokenRequest req, Credentials creds) throws IOException {
    StringBuilder uri = new StringBuilder(req.realm().toString());
    String sep = req.realm().getRawQuery() == null ? "?" : "&";
    if (req.service() != null && !req.service().isEmpty()) {
      uri.append(sep).append("service=").append(enc(req.service()));
      sep = "&";
    }
    for (String scope : req.scopes()) {
      uri.append(sep).append("scope=").append(enc(scope));
      sep = "&";
    }
    HttpRequest.Builder b = base(URI.create(uri.toString())).GET();
    if (creds != null) {
      String basic = creds.username() + ":" + creds.secret();
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    LOG.debug(
        "GET token from {} (service {}, scopes {}, {})",
        req.realmHost(),
        req.service(),
        req.scopes(),
        creds == null ? "anonymous" : "with credentials");
    Reply r = send(b.build(), req);
    if (!r.ok()) {
      throw failure(r, req, "GET");
    }
    return parse(r, req);
  }

  private Reply post(TokenRequest req, String grantType, String secret, String username)
      throws IOException {
    StringJoiner form = new StringJoiner("&");
    form.add("grant_type=" + enc(grantType));
    if (req.service() != null && !req.service().isEmpty()) {
      form.add("service=" + enc(req.service()));
    }
    if (!req.scopes().isEmpty()) {
      form.add("scope=" + enc(String.join(" ", req.scopes())));
    }
    form.add("client_id=" + enc(clientId));
    form.add("access_type=offline");
    if (grantType.equals("refresh_token")) {
      form.add("refresh_token=" + enc(secret));
    } else {
      form.add("username=" + enc(username));
      form.add("password=" + enc(secret));
    }
    byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest r =
        base(req.realm())
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    LOG.debug(
        "POST OAuth2 token request to {} (grant {}, service {}, scopes {})",
        req.realmHost(),
        grantType,
        req.service(),
        req.scopes());
    return send(r, body, req);
  }

  private HttpRequest.Builder base(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
    headers.forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
    b.setHeader("User-Agent", userAgent);
    return b;
  }

  private Reply send(HttpRequest request, TokenRequest req) throws IOException {
    return send(request, null, req);
  }

  /** Closes the pooled connections of token requests; later requests fail. */
  @Override
  public synchronized void close() {
    closed = true;
    if (own != null) {
      own.close();
      own = null;
    }
  }

  private synchronized HostClient client() {
    if (client == null) {
      client = HostClient.of(transport);
    }
    return client;
  }

  private synchronized Http1Transport own() {
    if (closed) {
      throw new IllegalStateException("token fetcher closed");
    }
    if (own == null) {
      own = new Http1Transport();
    }
    return own;
  }

  /**
   * Sends a token request: over Hoist's own connections unless the options carry a client of the
   * user's (closing the authorizer closes them), else through that client.
   *
   * @param form the body of a POST, else null
   */
  private Reply send(HttpRequest request, byte[] form, TokenRequest req) throws IOException {
    HostClient lazy = client();
    if (lazy.isOwn()
        && Http1Transport.canCarry(request.method(), request.uri(), HttpClient.Version.HTTP_1_1)) {
      List<Map.Entry<String, String>> hs = new ArrayList<>();
      request.headers().map().forEach((k, vs) -> vs.forEach(v -> hs.add(Map.entry(k, v))));
      Http1Transport.Exchange x;
      try {
        x = own().exchange(lazy, request.method(), request.uri(), hs, form, timeout);
      } catch (IOException e) {
        if (e instanceof InterruptedIOException) {
          throw e;
        }
        throw new UnavailableException(
            "cannot reach token server "
                + req.realmHost()
                + ": "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()),
            e);
      }
      try (InputStream in = x.body()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          throw new UnknownException(
              "token response from " + req.realmHost() + " exceeds " + MAX_BODY + " bytes");
        }
        return new Reply(x.status(), body);
      }
    }
    HttpResponse<InputStream> resp;
    try {
      resp = lazy.jdk().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted while requesting a token from " + req.realmHost());
    } catch (IOException e) {
      throw new UnavailableException(
          "cannot reach token server "
              + req.realmHost()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    }
    try (InputStream in = resp.body()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new UnknownException(
            "token response from " + req.realmHost() + " exceeds " + MAX_BODY + " bytes");
      }
      return new Reply(resp.statusCode(), body);
    }
  }

  private static TokenResponse parse(Reply r, TokenRequest req) {
    return TokenResponse.parse(r.body, req.realmHost());
  }

  private static RuntimeException failure(Reply r, TokenRequest req, String method) {
    String msg =
        method
            + " token from "
            + req.realmHost()
            + " for "
            + scopesText(req)
            + " failed: HTTP "
            + r.status
            + detail(r, req);
    if (r.status == 401 || r.status == 403) {
      return new UnauthorizedException(msg);
    }
    if (r.status == 429 || r.status >= 500) {
      return new UnavailableException(msg);
    }
    return new UnknownException(msg);
  }

  private static String scopesText(TokenRequest req) {
    return req.scopes().isEmpty() ? "no scope" : String.join(" ", req.scopes());
  }

  /** The server's own error text, if any, with every secret we sent removed and truncated. */
  private static String detail(Reply r, TokenRequest req) {
    String text = "";
    try {
      Object parsed = Json.parseLenient(r.body);
      if (parsed instanceof Map) {
        Map<?, ?> root = (Map<?, ?>) parsed;
        Object errors = root.get("errors");
        if (root.get("error_description") != null) {
          text = Json.scalarText(root.get("error_description"));
        } else if (root.get("error") != null) {
          text = Json.scalarText(root.get("error"));
        } else if (errors instanceof List && !((List<?>) errors).isEmpty()) {
          Object first = ((List<?>) errors).get(0);
          Map<?, ?> e = first instanceof Map ? (Map<?, ?>) first : Map.of();
          text = Json.scalarText(e.get("code")) + " " + Json.scalarText(e.get("message"));
        } else if (root.get("details") != null) {
          text = Json.scalarText(root.get("details"));
        }
      }
    } catch (IOException | RuntimeException e) {
      text = ""; // not JSON: do not echo arbitrary bodies
    }
    // Our own secrets first (all their encodings), then controls and length: one rule for all
    // server text (ServerText).
    text = ServerText.clean(Redaction.redact(text, req).strip());
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static final class Reply {
    final int status;
    final byte[] body;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }
}
