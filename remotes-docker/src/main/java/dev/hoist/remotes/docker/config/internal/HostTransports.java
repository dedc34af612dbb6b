package dev.hoist.remotes.docker.config.internal;

import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TlsOptions;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.JdkProxies;
import dev.hoist.remotes.docker.internal.LazyDefaultTls;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Makes the {@link TransportOptions} of configured hosts: TLS settings, HTTP version, connect
 * timeout, proxies and the HTTP fallback. TLS files are read here, so that a bad one is reported
 * when the hosts are configured. With a user's client customizer, each distinct setting gets one
 * {@code java.net.http} client, built with the customizer and then reused (the customizer may add a
 * proxy, authenticator or cookie handler that only that client knows of). Thread-safe.
 */
public final class HostTransports {

  /** What makes two customised clients different. */
  private record Key(
      TlsOptions tls, Optional<HttpClient.Version> version, Duration connectTimeout) {}

  private final SslContexts sslContexts = new SslContexts();
  private final Consumer<HttpClient.Builder> customizer;
  private final boolean customized;
  private final ProxySettings proxy;
  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();

  /**
   * @param customizer applied to every client builder when {@code customized}
   * @param customized whether {@code customizer} is the user's rather than the no-op default
   * @param proxy the proxies every host goes through
   */
  public HostTransports(
      Consumer<HttpClient.Builder> customizer, boolean customized, ProxySettings proxy) {
    this.customizer = Objects.requireNonNull(customizer, "customizer");
    this.customized = customized;
    this.proxy = Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * The options for these settings.
   *
   * @param tls the host's TLS settings
   * @param version the HTTP version the {@code java.net.http} client prefers; empty for HTTP/2
   * @param connectTimeout the host's connect timeout
   * @param httpFallback whether an {@code https} request answered in plain HTTP falls back
   * @return the options
   * @throws dev.hoist.errors.InvalidArgumentException when a TLS file is unusable
   */
  public TransportOptions get(
      TlsOptions tls,
      Optional<HttpClient.Version> version,
      Duration connectTimeout,
      boolean httpFallback) {
    SSLContext context = tls.isConfigured() ? sslContexts.get(tls) : null;
    TransportOptions.Builder b = TransportOptions.builder().httpFallback(httpFallback);
    if (customized) {
      // computeIfAbsent: one client per key even under races (a discarded client would leak its
      // selector thread until collected); a failure is not cached.
      return b.client(
              clients.computeIfAbsent(
                  new Key(tls, version, connectTimeout), k -> customizedClient(k, context)))
          .build();
    }
    return b.tls(tls)
        .httpVersion(version.orElse(HttpClient.Version.HTTP_2))
        .connectTimeout(connectTimeout)
        .proxy(proxy)
        .build();
  }

  private HttpClient customizedClient(Key key, SSLContext context) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(key.connectTimeout())
            // The resolver follows redirects itself, so Authorization never leaks to another host.
            .followRedirects(HttpClient.Redirect.NEVER);
    if (context != null) {
      b.sslContext(context).sslParameters(context.getDefaultSSLParameters());
    } else {
      LazyDefaultTls.apply(b);
    }
    key.version().ifPresent(b::version);
    JdkProxies.apply(b, proxy);
    customizer.accept(b);
    return b.build();
  }
}
