package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that builds the real one on its first request.
 *
 * <p>Why: building a {@code java.net.http} client starts its selector thread, which then sits in
 * native code for the life of the JVM, and a JVM's exit waits up to 300 ms for threads in native
 * code; with the class loading, one unused client costs a fresh {@code hoist fetch} about 0.45 s.
 * Requests that go over Hoist's own connections ({@code Http1Transport}) never need it. A client
 * whose builder ran a user's customizer says so ({@link #isPlain()} false), because only then may
 * it have a proxy, authenticator or cookie handler that the answers below would not know of.
 */
public final class LazyHttpClient extends HttpClient {

  private final Supplier<HttpClient> factory;
  private final boolean plain;
  private final Duration connectTimeout;
  private final SSLContext sslContext;
  private final SSLParameters sslParameters;
  private final Version version;
  private final ProxySettings proxy;
  private final boolean httpFallback;

  /** With the HTTP fallback: the {@code host:port}s found to answer TLS in plain HTTP. */
  private final Set<String> plainAuthorities = ConcurrentHashMap.newKeySet();

  private volatile HttpClient real;
  private Http1Transport own;
  private boolean closed;

  /**
   * @param factory builds the real client, with exactly the settings given here (and, when not
   *     {@code plain}, whatever else a customizer adds)
   * @param plain true when the factory adds no proxy, authenticator, cookie handler or executor
   * @param connectTimeout the connect timeout the factory sets
   * @param sslContext the TLS context the factory sets
   * @param sslParameters the TLS parameters the factory sets
   * @param version the HTTP version the factory sets
   */
  public LazyHttpClient(
      Supplier<HttpClient> factory,
      boolean plain,
      Duration connectTimeout,
      SSLContext sslContext,
      SSLParameters sslParameters,
      Version version) {
    this(factory, plain, connectTimeout, sslContext, sslParameters, version, ProxySettings.NONE);
  }

  /**
   * As the other constructor, and {@code proxy}: the proxies the factory configures too (Hoist's
   * own connections read them from {@link #proxySettings()}).
   */
  public LazyHttpClient(
      Supplier<HttpClient> factory,
      boolean plain,
      Duration connectTimeout,
      SSLContext sslContext,
      SSLParameters sslParameters,
      Version version,
      ProxySettings proxy) {
    this(factory, plain, connectTimeout, sslContext, sslParameters, version, proxy, false);
  }

  private LazyHttpClient(
      Supplier<HttpClient> factory,
      boolean plain,
      Duration connectTimeout,
      SSLContext sslContext,
      SSLParameters sslParameters,
      Version version,
      ProxySettings proxy,
      boolean httpFallback) {
    this.httpFallback = httpFallback;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.plain = plain;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    this.sslParameters = Objects.requireNonNull(sslParameters, "sslParameters");
    this.version = Objects.requireNonNull(version, "version");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * A client of the JDK's defaults with the lazily initialised default TLS context, redirects not
   * followed, and {@code connectTimeout}; {@code version} null leaves the JDK's default.
   */
  public static LazyHttpClient withDefaults(Duration connectTimeout, Version version) {
    return withDefaults(connectTimeout, version, ProxySettings.NONE);
  }

  /** As {@link #withDefaults(Duration, Version)}, through {@code proxy}. */
  public static LazyHttpClient withDefaults(
      Duration connectTimeout, Version version, ProxySettings proxy) {
    return new LazyHttpClient(
        () -> {
          HttpClient.Builder b =
              LazyDefaultTls.apply(HttpClient.newBuilder())
                  .connectTimeout(connectTimeout)
                  .followRedirects(Redirect.NEVER);
          if (version != null) {
            b.version(version);
          }
          JdkProxies.apply(b, proxy);
          return b.build();
        },
        true,
        connectTimeout,
        LazyDefaultTls.context(),
        LazyDefaultTls.parameters(),
        version != null ? version : Version.HTTP_2,
        proxy);
  }

  /**
   * This client's settings with the HTTP fallback on (containerd's {@code NewHTTPFallback}): an
   * {@code https} request whose TLS handshake the server answers in plain HTTP is sent again over
   * {@code http}, and so is every later request to that {@code host:port} ({@code Transports}).
   * Used for hosts configured for {@code http} with TLS settings and for localhost with TLS files.
   * The {@code java.net.http} client, if one is ever built, is shared with this one.
   */
  public LazyHttpClient withHttpFallback() {
    return new LazyHttpClient(
        this::real, plain, connectTimeout, sslContext, sslParameters, version, proxy, true);
  }

  /** Whether the HTTP fallback is on. */
  public boolean httpFallback() {
    return httpFallback;
  }

  /** Whether {@code authority} was found to answer TLS in plain HTTP. */
  public boolean knownPlain(String authority) {
    return plainAuthorities.contains(authority);
  }

  /** Remembers that {@code authority} answers TLS in plain HTTP; true the first time. */
  public boolean rememberPlain(String authority) {
    return plainAuthorities.add(authority);
  }

  /**
   * The proxies requests through this client take (for a plain client, the whole proxy
   * configuration).
   */
  public ProxySettings proxySettings() {
    return proxy;
  }

  /** Whether the real client is just these settings: no proxy, authenticator or cookie handler. */
  public boolean isPlain() {
    return plain;
  }

  /**
   * Hoist's own HTTP/1.1 connections with this client's TLS settings and connect timeout, for the
   * requests made outside a resolver's request path (token requests); closed with this client. Only
   * for a {@linkplain #isPlain() plain} client.
   *
   * @throws IllegalStateException when the client is not plain, or closed
   */
  public synchronized Http1Transport transport() {
    if (!plain || closed) {
      throw new IllegalStateException(
          plain ? "client closed" : "a customised client has no own transport");
    }
    if (own == null) {
      own = new Http1Transport();
    }
    return own;
  }

  /**
   * Closes the connections of {@link #transport()}. (A {@code java.net.http} client built meanwhile
   * cannot be closed on Java 17; its idle connections end with its keep-alive timeout.)
   */
  public void close() {
    Http1Transport t;
    synchronized (this) {
      closed = true;
      t = own;
      own = null;
    }
    if (t != null) {
      t.close();
    }
  }

  /** Whether the real client exists (for tests). */
  public boolean isBuilt() {
    return real != null;
  }

  /** The real client, built on first use. */
  public HttpClient real() {
    HttpClient c = real;
    if (c == null) {
      synchronized (this) {
        c = real;
        if (c == null) {
          c = factory.get();
          real = c;
        }
      }
    }
    return c;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return plain ? Optional.empty() : real().cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return plain ? Optional.of(connectTimeout) : real().connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return plain ? Redirect.NEVER : real().followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    if (plain) {
      return proxy.isConfigured() ? Optional.of(JdkProxies.selector(proxy)) : Optional.empty();
    }
    return real().proxy();
  }

  @Override
  public SSLContext sslContext() {
    return plain ? sslContext : real().sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    if (!plain) {
      return real().sslParameters();
    }
    SSLParameters copy = new SSLParameters();
    copy.setProtocols(sslParameters.getProtocols());
    copy.setCipherSuites(sslParameters.getCipherSuites());
    return copy;
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return plain ? Optional.empty() : real().authenticator();
  }

  @Override
  public Version version() {
    return plain ? version : real().version();
  }

  @Override
  public Optional<Executor> executor() {
    return plain ? Optional.empty() : real().executor();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return real().send(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return real().sendAsync(request, handler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return real().sendAsync(request, handler, pushPromiseHandler);
  }

  @Override
  public String toString() {
    return "LazyHttpClient[" + (real != null ? real : "not built") + "]";
  }
}
