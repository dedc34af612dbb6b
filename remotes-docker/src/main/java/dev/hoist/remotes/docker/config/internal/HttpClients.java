package dev.hoist.remotes.docker.config.internal;

import dev.hoist.remotes.docker.config.TlsOptions;
import dev.hoist.remotes.docker.internal.LazyDefaultTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Creates one {@link HttpClient} per distinct (TLS settings, HTTP version, connect timeout) and
 * reuses it for every host and request with those settings, so connections are pooled across
 * a pull. Thread-safe.
 */
public final class HttpClients {

  /** What makes two clients different. */
  record Key(TlsOptions tls, Optional<HttpClient.Version> version, Duration connectTimeout, boolean fallback) {}

  private final SslContexts sslContexts = new SslContexts();
  private final Consumer<HttpClient.Builder> customizer;
  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();

  public HttpClients(Consumer<HttpClient.Builder> customizer) {
    this.customizer = Objects.requireNonNull(customizer, "customizer");
  }

  /**
   * Returns the client for these settings. With {@code httpFallback}, the client retries over
   * plain HTTP when a server answers the TLS handshake in plain HTTP.
   *
   * @throws dev.hoist.errors.InvalidArgumentException when a TLS file is unusable
   */
  public HttpClient get(
      TlsOptions tls, Optional<HttpClient.Version> version, Duration connectTimeout, boolean httpFallback) {
    if (httpFallback) {
      HttpClient plain = get(tls, version, connectTimeout, false);
      return clients.computeIfAbsent(
          new Key(tls, version, connectTimeout, true), k -> new HttpFallbackClient(plain));
    }
    // computeIfAbsent: one client per key even under races (a discarded client would leak its
    // selector thread until collected); a failure is not cached.
    return clients.computeIfAbsent(new Key(tls, version, connectTimeout, false), this::build);
  }

  private HttpClient build(Key key) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(key.connectTimeout())
            // The resolver follows redirects itself, so Authorization never leaks to another host.
            .followRedirects(HttpClient.Redirect.NEVER);
    key.version().ifPresent(b::version);
    if (key.tls().isConfigured()) {
      b.sslContext(sslContexts.get(key.tls()));
    } else {
      LazyDefaultTls.apply(b);
    }
    customizer.accept(b);
    return b.build();
  }

  /** How many distinct clients exist (for tests). */
  public int size() {
    return clients.size();
  }
}
