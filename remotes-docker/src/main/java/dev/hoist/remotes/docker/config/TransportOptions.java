package dev.hoist.remotes.docker.config;

import dev.hoist.remotes.docker.internal.Durations;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one registry host over HTTP: TLS, proxies, HTTP version, connect timeout; or a
 * {@code java.net.http} client of the user's own. A value: equal options share connections within a
 * resolver.
 *
 * <p>Options built here are carried by Hoist's own HTTP/1.1 transport (its measured speed is why it
 * exists), and by {@code java.net.http} for HTTP/2 over TLS. Options made with {@link
 * #jdk(HttpClient)} send every request through that client, which then decides TLS, proxies and
 * timeouts itself; it should never follow redirects (Hoist follows them so that credentials stay
 * with the registry host).
 */
public final class TransportOptions {

  private static final TransportOptions DEFAULTS = builder().build();

  private final TlsOptions tls;
  private final ProxySettings proxy;
  private final HttpClient.Version httpVersion;
  private final Duration connectTimeout;
  private final boolean httpFallback;
  private final HttpClient client;

  /** Computed once: the options are a map key looked up on every request. */
  private final int hash;

  private TransportOptions(Builder b) {
    this.tls = b.tls;
    this.proxy = b.proxy;
    this.httpVersion = b.httpVersion;
    this.connectTimeout = b.connectTimeout;
    this.httpFallback = b.httpFallback;
    this.client = b.client;
    this.hash =
        Objects.hash(
            tls, proxy, httpVersion, connectTimeout, httpFallback, System.identityHashCode(client));
  }

  /** {@return the defaults: the JVM's trust store, no proxy, HTTP/1.1, a 10 s connect timeout} */
  public static TransportOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Every request through {@code client}, a {@code java.net.http} client of the caller's (its TLS,
   * proxy, authenticator and timeouts apply; Hoist's own transport is not used).
   *
   * @param client the client; should not follow redirects
   * @return options that select the {@code java.net.http} transport
   * @throws NullPointerException when {@code client} is null
   */
  public static TransportOptions jdk(HttpClient client) {
    return builder().client(client).build();
  }

  /** {@return a builder with the {@linkplain #defaults() defaults}} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the TLS settings (ignored with a {@linkplain #client() client of one's own})} */
  public TlsOptions tls() {
    return tls;
  }

  /** {@return the HTTP proxies (ignored with a {@linkplain #client() client of one's own})} */
  public ProxySettings proxy() {
    return proxy;
  }

  /**
   * {@return the HTTP version the {@code java.net.http} client Hoist builds prefers; requests ask
   * for the resolver's version}
   */
  public HttpClient.Version httpVersion() {
    return httpVersion;
  }

  /** {@return how long connecting may take (ignored with a client of one's own)} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@return whether an {@code https} request whose TLS handshake the server answers in plain HTTP
   * is sent again over {@code http}, as containerd's {@code NewHTTPFallback}}
   */
  public boolean httpFallback() {
    return httpFallback;
  }

  /** {@return the caller's own {@code java.net.http} client, if these options carry one} */
  public Optional<HttpClient> client() {
    return Optional.ofNullable(client);
  }

  /** {@return a builder starting from these options} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tls = tls;
    b.proxy = proxy;
    b.httpVersion = httpVersion;
    b.connectTimeout = connectTimeout;
    b.httpFallback = httpFallback;
    b.client = client;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransportOptions t
        && t.tls.equals(tls)
        && t.proxy.equals(proxy)
        && t.httpVersion == httpVersion
        && t.connectTimeout.equals(connectTimeout)
        && t.httpFallback == httpFallback
        && t.client == client;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The settings in short; never a proxy's credentials. */
  @Override
  public String toString() {
    if (client != null) {
      return "TransportOptions[java.net.http client"
          + (httpFallback ? ", http fallback" : "")
          + "]";
    }
    return "TransportOptions["
        + httpVersion
        + ", connect "
        + connectTimeout.toMillis()
        + " ms"
        + (tls.isConfigured() ? ", tls configured" : "")
        + (proxy.isConfigured() ? ", proxy" : "")
        + (httpFallback ? ", http fallback" : "")
        + "]";
  }

  /** Builds {@link TransportOptions}. Setting an option again replaces it. Not thread-safe. */
  public static final class Builder {
    private TlsOptions tls = TlsOptions.NONE;
    private ProxySettings proxy = ProxySettings.NONE;
    private HttpClient.Version httpVersion = HttpClient.Version.HTTP_1_1;
    private Duration connectTimeout = HostOptions.DEFAULT_CONNECT_TIMEOUT;
    private boolean httpFallback;
    private HttpClient client;

    private Builder() {}

    /**
     * The TLS settings: CA files, client certificates, {@code skip_verify}; default none (the JVM's
     * trust store).
     *
     * @param tls the settings
     * @return this builder
     */
    public Builder tls(TlsOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The HTTP proxies; default none.
     *
     * @param proxy e.g. {@link ProxySettings#fromEnvironment(java.util.Map)}
     * @return this builder
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * The HTTP version a {@code java.net.http} client built for these options prefers; default
     * HTTP/1.1.
     *
     * @param version {@code HTTP_1_1} or {@code HTTP_2}
     * @return this builder
     */
    public Builder httpVersion(HttpClient.Version version) {
      this.httpVersion = Objects.requireNonNull(version, "httpVersion");
      return this;
    }

    /**
     * How long connecting may take; default 10 s.
     *
     * @param timeout positive
     * @return this builder
     * @throws dev.hoist.errors.InvalidArgumentException when not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Durations.positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Whether to retry over {@code http} when a server answers the TLS handshake in plain HTTP, and
     * to use {@code http} for that {@code host:port} from then on; default false. Never after a
     * certificate failure.
     *
     * @param fallback true to fall back
     * @return this builder
     */
    public Builder httpFallback(boolean fallback) {
      this.httpFallback = fallback;
      return this;
    }

    /**
     * A {@code java.net.http} client of one's own for every request; default none (Hoist's
     * transports).
     *
     * @param client the client; should not follow redirects
     * @return this builder
     */
    public Builder client(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** {@return the options} */
    public TransportOptions build() {
      return new TransportOptions(this);
    }
  }
}
