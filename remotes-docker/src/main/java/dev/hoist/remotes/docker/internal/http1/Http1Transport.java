package dev.hoist.remotes.docker.internal.http1;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.internal.HostClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Sends {@code GET}, {@code HEAD} (and token {@code POST}) requests over Hoist's own pooled
 * HTTP/1.1 connections instead of {@code java.net.http}.
 *
 * <p>Why: {@code java.net.http} hands each socket read over in a fresh heap buffer through a
 * publisher/subscriber chain and a selector thread; a blocking socket read into the caller's reused
 * array costs one copy. Receiving is where a pull spends its CPU (figures in {@code
 * bench/RESULTS.md}).
 *
 * <p>A connection uses the {@link HostClient}'s {@link javax.net.ssl.SSLContext}, {@link
 * javax.net.ssl.SSLParameters} and connect timeout, verifies the server name as {@code
 * java.net.http} does, and goes through its {@code ProxySettings} (absolute-form requests for
 * {@code http}, a {@code CONNECT} tunnel for {@code https}). Which requests come here is decided by
 * {@code Transports}.
 */
public final class Http1Transport implements AutoCloseable {

  private final ConnectionPool pool;

  /** A transport whose idle connections are swept only when the next request or close comes. */
  public Http1Transport() {
    this(null);
  }

  /**
   * @param timer the owner's timer thread, which closes connections left idle for 20 s
   */
  public Http1Transport(Supplier<ScheduledExecutorService> timer) {
    this.pool = new ConnectionPool(timer);
  }

  /** Closes the idle connections; connections in use are closed when their bodies end. */
  @Override
  public void close() {
    pool.close();
  }

  /** A reply head and its body, which the caller must read to the end or close. */
  public record Exchange(int status, HttpHeaders headers, InputStream body) {}

  /**
   * Whether an HTTP/1.1 connection can carry {@code method uri} at {@code version}: {@code GET},
   * {@code HEAD} or {@code POST} over {@code http}, or over {@code https} when HTTP/1.1 was asked
   * for. Which client may use this transport is decided by configuration ({@code Transports}).
   */
  public static boolean canCarry(String method, URI uri, HttpClient.Version version) {
    if (!(method.equals("GET") || method.equals("HEAD") || method.equals("POST"))) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean http1 =
        scheme.equals("http") || (scheme.equals("https") && version == HttpClient.Version.HTTP_1_1);
    return http1 && uri.getHost() != null;
  }

  /**
   * Sends one request and reads the reply head.
   *
   * @param headers request headers (names and values already validated by the caller)
   * @param headTimeout how long the reply head may take
   * @throws IllegalArgumentException for a header name or value that would break the request
   */
  public Exchange exchange(
      HostClient client,
      String method,
      URI uri,
      List<Map.Entry<String, String>> headers,
      Duration headTimeout)
      throws IOException {
    return exchange(client, method, uri, headers, null, headTimeout);
  }

  /**
   * Sends one request with a small body (a token request's form) and reads the reply head.
   *
   * @param body the request body, sent with its {@code Content-Length}; null for none
   * @throws IllegalArgumentException for a header name or value that would break the request
   */
  public Exchange exchange(
      HostClient client,
      String method,
      URI uri,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      Duration headTimeout)
      throws IOException {
    for (Map.Entry<String, String> h : headers) {
      checkHeader(h.getKey(), h.getValue());
    }
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : (tls ? 443 : 80);
    URI proxy = client.proxy().proxyFor(uri).orElse(null);
    ConnectionKey key = new ConnectionKey(client, tls, host, port, proxy);
    String hostHeader = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String target =
        (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
            + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    boolean forwarded = proxy != null && !tls;
    if (forwarded) {
      // Plain HTTP through a proxy: the absolute form names the target (RFC 9112 §3.2.2), and the
      // proxy's credentials travel with every request (HTTPS tunnels send them with CONNECT).
      target = "http://" + hostHeader + target;
      List<Map.Entry<String, String>> withAuth = new java.util.ArrayList<>(headers);
      withAuth.addAll(Http1Connection.proxyHeaders(proxy));
      headers = withAuth;
    }
    while (true) {
      Http1Connection conn = pool.acquire(key);
      boolean reused = conn != null;
      if (conn == null) {
        Duration connectTimeout = client.connectTimeout();
        conn =
            Http1Connection.open(
                key,
                connectTimeout,
                tls ? client.sslContext() : null,
                tls ? client.sslParameters() : null);
      }
      ResponseHead head;
      boolean written = false;
      try {
        conn.writeRequest(method, target, hostHeader, headers, body);
        written = true;
        head = conn.readHead(headTimeout);
      } catch (IOException e) {
        conn.close();
        // A kept-alive connection the server dropped while it sat in the pool fails on the write,
        // or before the first byte of a reply (EOF, reset); a request without a body (GET, HEAD)
        // is safe to send again on a new connection. Decided by where and how it failed, never by
        // the exception's message.
        if (reused
            && body == null
            && !(e instanceof InterruptedIOException)
            && (!written || e instanceof EOFException || e instanceof SocketException)) {
          continue;
        }
        throw e;
      } catch (RuntimeException e) {
        conn.close();
        throw e;
      }
      if (forwarded && head.status() == 407) {
        conn.close();
        throw new UnauthorizedException(
            "proxy "
                + ProxySettings.redact(proxy)
                + " refused "
                + (proxy.getRawUserInfo() == null
                    ? "to forward without credentials"
                    : "the credentials")
                + " (407 Proxy Authentication Required) for "
                + key);
      }
      return new Exchange(
          head.status(), HttpHeaders.of(head.headers(), (k, v) -> true), body(conn, method, head));
    }
  }

  private InputStream body(Http1Connection conn, String method, ResponseHead head)
      throws IOException {
    int status = head.status();
    boolean keepAlive = head.keepAlive();
    if (method.equals("HEAD") || status == 204 || status == 304 || status == 101) {
      return new ResponseBody(
          conn, pool, keepAlive && status != 101, ResponseBody.Framing.EMPTY, 0);
    }
    if (!Http1Connection.tokens(head.headers(), "Transfer-Encoding").isEmpty()) {
      String te = Http1Connection.tokens(head.headers(), "Transfer-Encoding").replace(" ", "");
      if (!te.endsWith("chunked")) {
        return new ResponseBody(conn, pool, false, ResponseBody.Framing.UNTIL_CLOSE, 0);
      }
      if (!te.equals("chunked")) {
        conn.close();
        throw new IOException("unsupported Transfer-Encoding \"" + te + "\" from " + conn.key);
      }
      // With a Content-Length beside it, the reply is read as chunked, but a sender that sends
      // both may frame it either way: the connection is not trusted with another request (RFC
      // 9112 §6.3).
      boolean lengthToo = head.headers().containsKey("Content-Length");
      return new ResponseBody(conn, pool, keepAlive && !lengthToo, ResponseBody.Framing.CHUNKED, 0);
    }
    List<String> lengths = head.headers().get("Content-Length");
    if (lengths != null) {
      long length = -1;
      for (String l : lengths) {
        for (String part : l.split(",")) {
          long v = parseLength(part.trim(), conn);
          if (length != -1 && v != length) {
            conn.close();
            throw new IOException(
                "conflicting Content-Length headers from " + conn.key + ": " + lengths);
          }
          length = v;
        }
      }
      return new ResponseBody(conn, pool, keepAlive, ResponseBody.Framing.LENGTH, length);
    }
    return new ResponseBody(conn, pool, false, ResponseBody.Framing.UNTIL_CLOSE, 0);
  }

  private static long parseLength(String s, Http1Connection conn) throws IOException {
    if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      conn.close();
      throw new IOException("malformed Content-Length \"" + s + "\" from " + conn.key);
    }
    return Long.parseLong(s);
  }

  /** Headers the transport writes itself, which {@code java.net.http} refuses as well. */
  private static final java.util.Set<String> RESTRICTED =
      java.util.Set.of("connection", "content-length", "expect", "host", "upgrade");

  /**
   * As {@code HttpRequest.Builder.header}: a token name that is not restricted, and a value without
   * CR, LF or NUL.
   */
  private static void checkHeader(String name, String value) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name");
    }
    if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        throw new IllegalArgumentException("invalid header name \"" + name + "\"");
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalArgumentException("invalid value for header \"" + name + "\"");
      }
    }
  }

  /** Idle pooled connections with unsolicited bytes waiting (for tests). */
  int idleConnectionsWithUnsolicitedBytes() {
    return pool.idleWithUnsolicitedBytes();
  }

  /** Idle pooled connections (for tests). */
  public int idleConnections() {
    return pool.idleCount();
  }
}
