package dev.hoist.remotes.docker.config.internal;

import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TlsOptions;
import dev.hoist.remotes.docker.internal.JdkProxies;
import dev.hoist.remotes.docker.internal.LazyDefaultTls;
import dev.hoist.remotes.docker.internal.LazyHttpClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Creates one {@link HttpClient} per distinct (TLS settings, HTTP version, connect timeout) and
 * reuses it for every host and request with those settings, so connections are pooled across a
 * pull. Thread-safe.
 */
public final class HttpClients {

  /** What makes two clients different. */
  record Key(
      TlsOptions tls,
      Optional<HttpClient.Version> version,
      Duration connectTimeout,
      boolean fallback,
      ProxySettings proxy) {}

  private final SslContexts sslContexts = new SslContexts();
  private final Consumer<HttpClient.Builder> customizer;
  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();

  private final boolean customized;
  private final ProxySettings proxy;

  /**
   * @param customizer applied to every client builder
   * @param customized whether {@code customizer} is the user's (it may add a proxy, authenticator
   *     or cookie handler) rather than the no-op default
   */
  public HttpClients(Consumer<HttpClient.Builder> customizer, boolean customized) {
    this(customizer, customized, ProxySettings.NONE);
  }

  /** As the other constructor, every client going through {@code proxy}. */
  public HttpClients(
      Consumer<HttpClient.Builder> customizer, boolean customized, ProxySettings proxy) {
    this.customizer = Objects.requireNonNull(customizer, "customizer");
    this.customized = customized;
    this.proxy = Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * Returns the client for these settings. With {@code httpFallback}, the client retries over plain
   * HTTP when a server answers the TLS handshake in plain HTTP.
   *
   * @throws dev.hoist.errors.InvalidArgumentException when a TLS file is unusable
   */
  public HttpClient get(
      TlsOptions tls,
      Optional<HttpClient.Version> version,
      Duration connectTimeout,
      boolean httpFallback) {
    if (httpFallback) {
      LazyHttpClient plain = (LazyHttpClient) get(tls, version, connectTimeout, false);
      return clients.computeIfAbsent(
          new Key(tls, version, connectTimeout, true, proxy), k -> plain.withHttpFallback());
    }
    // computeIfAbsent: one client per key even under races (a discarded client would leak its
    // selector thread until collected); a failure is not cached.
    return clients.computeIfAbsent(
        new Key(tls, version, connectTimeout, false, proxy), this::build);
  }

  /**
   * A client that is built on its first request ({@link LazyHttpClient}): most requests go over
   * Hoist's own connections, and an unused {@code java.net.http} client still costs its class
   * loading and a selector thread that delays the JVM's exit. TLS files are read now, so that a bad
   * one is reported when the hosts are configured.
   */
  private HttpClient build(Key key) {
    SSLContext tls =
        key.tls().isConfigured() ? sslContexts.get(key.tls()) : LazyDefaultTls.context();
    SSLParameters params =
        key.tls().isConfigured() ? tls.getDefaultSSLParameters() : LazyDefaultTls.parameters();
    return new LazyHttpClient(
        () -> {
          HttpClient.Builder b =
              HttpClient.newBuilder()
                  .connectTimeout(key.connectTimeout())
                  // The resolver follows redirects itself, so Authorization never leaks to another
                  // host.
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .sslContext(tls)
                  .sslParameters(params);
          key.version().ifPresent(b::version);
          JdkProxies.apply(b, key.proxy());
          customizer.accept(b);
          return b.build();
        },
        !customized,
        key.connectTimeout(),
        tls,
        params,
        key.version().orElse(HttpClient.Version.HTTP_2),
        key.proxy());
  }

  /** How many distinct clients exist (for tests). */
  public int size() {
    return clients.size();
  }

  /** Closes the own connections of every client made here. */
  public void close() {
    for (HttpClient c : clients.values()) {
      if (c instanceof LazyHttpClient lazy) {
        lazy.close();
      }
    }
  }
}
