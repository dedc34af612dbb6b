package dev.hoist.remotes.docker.config;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.config.internal.NoProxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which HTTP proxy carries requests to which host: a transport setting honoured by Hoist's own
 * HTTP/1.1 connections (absolute-form requests for {@code http}, a {@code CONNECT} tunnel for
 * {@code https}) and by {@code java.net.http} clients. Proxy credentials come from the proxy URL's
 * user info ({@code http://user:secret@proxy:3128}) and are sent as {@code Proxy-Authorization:
 * Basic}; they never appear in {@link #toString()}, logs or messages.
 *
 * <p>{@link #fromEnvironment(Map)} reads {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code
 * NO_PROXY} (the lower-case forms win when both are set, as in curl and Go). {@code NO_PROXY} is a
 * comma-separated list: {@code *} (no proxy at all), domain names ({@code example.com} matches it
 * and its subdomains, {@code .example.com} only its subdomains), IP addresses, CIDR ranges ({@code
 * 10.0.0.0/8}), each optionally with {@code :port}. As in Go's {@code httpproxy}, requests to
 * {@code localhost} and loopback addresses never go through a proxy taken from the environment;
 * settings built in code may include them ({@link Builder#proxyLoopback(boolean)}), which is how
 * tests reach a registry on 127.0.0.1 through a proxy.
 */
public final class ProxySettings {

  /** No proxy for any host. */
  public static final ProxySettings NONE = builder().build();

  private final URI httpProxy;
  private final URI httpsProxy;
  private final String noProxy;
  private final NoProxy bypass;
  private final boolean proxyLoopback;

  private ProxySettings(Builder b) {
    this.httpProxy = b.httpProxy;
    this.httpsProxy = b.httpsProxy;
    this.noProxy = b.noProxy;
    this.bypass = NoProxy.parse(b.noProxy);
    this.proxyLoopback = b.proxyLoopback;
  }

  /** {@return a builder without any proxy} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The settings of the environment, as curl and Go read them.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings; {@link #NONE} when no proxy variable is set
   * @throws InvalidArgumentException naming the variable when a proxy URL is malformed
   */
  public static ProxySettings fromEnvironment(Map<String, String> env) {
    Builder b = builder();
    String https = variable(env, "https_proxy");
    String http = variable(env, "http_proxy");
    if (https != null) {
      b.httpsProxy(parse(https, "HTTPS_PROXY"));
    }
    if (http != null) {
      b.httpProxy(parse(http, "HTTP_PROXY"));
    }
    String no = variable(env, "no_proxy");
    if (no != null) {
      b.noProxy(no);
    }
    return b.build();
  }

  private static String variable(Map<String, String> env, String lower) {
    String v = env.get(lower);
    if (v == null || v.isBlank()) {
      v = env.get(lower.toUpperCase(Locale.ROOT));
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * A proxy URL; {@code host:port} without a scheme means {@code http://host:port}, as curl and Go
   * take it.
   */
  private static URI parse(String value, String variable) {
    String v = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new InvalidArgumentException(variable + " is not a URL (" + redact(v) + ")");
    }
    return uri;
  }

  /**
   * The proxy for a request to {@code target}, if one applies.
   *
   * @param target the URL requested
   * @return the proxy's URL ({@code http://[user:secret@]host:port})
   */
  public Optional<URI> proxyFor(URI target) {
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    URI proxy = scheme.equals("https") ? httpsProxy : scheme.equals("http") ? httpProxy : null;
    if (proxy == null || target.getHost() == null) {
      return Optional.empty();
    }
    String host = target.getHost();
    int port = target.getPort() != -1 ? target.getPort() : scheme.equals("https") ? 443 : 80;
    if (!proxyLoopback && NoProxy.isLoopback(host)) {
      return Optional.empty();
    }
    return bypass.matches(host, port) ? Optional.empty() : Optional.of(proxy);
  }

  /** {@return whether any proxy is configured} */
  public boolean isConfigured() {
    return httpProxy != null || httpsProxy != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProxySettings p
        && Objects.equals(httpProxy, p.httpProxy)
        && Objects.equals(httpsProxy, p.httpsProxy)
        && Objects.equals(noProxy, p.noProxy)
        && proxyLoopback == p.proxyLoopback;
  }

  @Override
  public int hashCode() {
    return Objects.hash(httpProxy, httpsProxy, noProxy, proxyLoopback);
  }

  /** The settings with proxy credentials left out. */
  @Override
  public String toString() {
    return "ProxySettings[http="
        + redact(httpProxy)
        + ", https="
        + redact(httpsProxy)
        + ", noProxy="
        + noProxy
        + (proxyLoopback ? ", loopback too" : "")
        + "]";
  }

  /**
   * The proxy address without its user info, for messages.
   *
   * @param uri a proxy address, or null
   * @return {@code uri} without user info, or {@code none} for null
   */
  public static String redact(URI uri) {
    if (uri == null) {
      return "none";
    }
    return (uri.getScheme() == null ? "http" : uri.getScheme())
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static String redact(String url) {
    int at = url.lastIndexOf('@');
    int scheme = url.indexOf("://");
    return at > scheme && scheme >= 0
        ? url.substring(0, scheme + 3) + "…" + url.substring(at)
        : url;
  }

  /** Builds {@link ProxySettings}. */
  public static final class Builder {
    private URI httpProxy;
    private URI httpsProxy;
    private String noProxy = "";
    private boolean proxyLoopback;

    private Builder() {}

    /**
     * The proxy for {@code http} requests.
     *
     * @param proxy {@code http://[user:secret@]host:port}
     * @return this builder
     * @throws InvalidArgumentException when it is not an {@code http} URL with a host
     */
    public Builder httpProxy(URI proxy) {
      this.httpProxy = check(proxy);
      return this;
    }

    /**
     * The proxy for {@code https} requests (tunnelled with {@code CONNECT}).
     *
     * @param proxy {@code http://[user:secret@]host:port}
     * @return this builder
     * @throws InvalidArgumentException when it is not an {@code http} URL with a host
     */
    public Builder httpsProxy(URI proxy) {
      this.httpsProxy = check(proxy);
      return this;
    }

    /**
     * Hosts reached directly, in {@code NO_PROXY} syntax.
     *
     * @param list comma-separated entries
     * @return this builder
     */
    public Builder noProxy(String list) {
      this.noProxy = Objects.requireNonNull(list, "noProxy").trim();
      NoProxy.parse(this.noProxy);
      return this;
    }

    /**
     * Whether requests to localhost and loopback addresses go through the proxy too; default false,
     * as Go and (for {@code localhost}) curl.
     *
     * @param on true to proxy loopback requests
     * @return this builder
     */
    public Builder proxyLoopback(boolean on) {
      this.proxyLoopback = on;
      return this;
    }

    private static URI check(URI proxy) {
      Objects.requireNonNull(proxy, "proxy");
      String scheme = proxy.getScheme() == null ? "" : proxy.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") || proxy.getHost() == null) {
        throw new InvalidArgumentException(
            "proxy " + redact(proxy) + ": only http://host:port proxies are supported");
      }
      return proxy;
    }

    /** {@return the settings} */
    public ProxySettings build() {
      return new ProxySettings(this);
    }
  }
}
