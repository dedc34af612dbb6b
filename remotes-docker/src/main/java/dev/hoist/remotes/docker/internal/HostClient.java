package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.config.internal.SslContexts;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What the transports need at run time for one {@link TransportOptions}: its TLS context, the
 * {@code java.net.http} client (the user's, or one built on first need), and which {@code
 * host:port}s were found to answer TLS in plain HTTP. One per distinct options per owner ({@link
 * Transports}, a token fetcher); connections are pooled per instance.
 *
 * <p>The {@code java.net.http} client is built only when a request needs it: building one starts a
 * selector thread that then sits in native code for the life of the JVM, and a JVM's exit waits up
 * to 300 ms for threads in native code; requests over Hoist's own connections never need it.
 */
public final class HostClient {

  private final TransportOptions options;
  private final SSLContext sslContext;
  private final SSLParameters sslParameters;

  /** With the HTTP fallback: the {@code host:port}s found to answer TLS in plain HTTP. */
  private final Set<String> plainAuthorities = ConcurrentHashMap.newKeySet();

  private volatile HttpClient jdk;

  private HostClient(TransportOptions options, SSLContext sslContext, SSLParameters params) {
    this.options = options;
    this.sslContext = sslContext;
    this.sslParameters = params;
    this.jdk = options.client().orElse(null);
  }

  /**
   * The run-time side of {@code options}; TLS files are read now (through {@code contexts}, which
   * keeps one context per distinct TLS settings).
   *
   * @throws dev.hoist.errors.InvalidArgumentException when a TLS file is unusable
   */
  public static HostClient of(TransportOptions options, SslContexts contexts) {
    Objects.requireNonNull(options, "options");
    if (options.client().isPresent() || !options.tls().isConfigured()) {
      return new HostClient(options, LazyDefaultTls.context(), LazyDefaultTls.parameters());
    }
    SSLContext tls = contexts.get(options.tls());
    return new HostClient(options, tls, tls.getDefaultSSLParameters());
  }

  /** As {@link #of(TransportOptions, SslContexts)} with contexts of its own (tests, one-offs). */
  public static HostClient of(TransportOptions options) {
    return of(options, new SslContexts());
  }

  public TransportOptions options() {
    return options;
  }

  /** Whether Hoist configured this transport itself (no client of the user's). */
  public boolean isOwn() {
    return options.client().isEmpty();
  }

  public SSLContext sslContext() {
    return sslContext;
  }

  /** A copy of the TLS parameters (protocols and cipher suites). */
  public SSLParameters sslParameters() {
    SSLParameters copy = new SSLParameters();
    copy.setProtocols(sslParameters.getProtocols());
    copy.setCipherSuites(sslParameters.getCipherSuites());
    return copy;
  }

  public Duration connectTimeout() {
    return options.connectTimeout();
  }

  public ProxySettings proxy() {
    return options.proxy();
  }

  /**
   * Whether an {@code https} request answered in plain HTTP may be sent again over {@code http}.
   */
  public boolean httpFallback() {
    return options.httpFallback();
  }

  /** Whether {@code authority} was found to answer TLS in plain HTTP. */
  public boolean knownPlain(String authority) {
    return plainAuthorities.contains(authority);
  }

  /** Remembers that {@code authority} answers TLS in plain HTTP; true the first time. */
  public boolean rememberPlain(String authority) {
    return plainAuthorities.add(authority);
  }

  /** Whether the {@code java.net.http} client exists (for tests). */
  public boolean isJdkBuilt() {
    return jdk != null;
  }

  /**
   * The {@code java.net.http} client: the user's, or one built now with these options, redirects
   * never followed (the resolver follows them so that {@code Authorization} never leaks to another
   * host).
   */
  public HttpClient jdk() {
    HttpClient c = jdk;
    if (c == null) {
      synchronized (this) {
        c = jdk;
        if (c == null) {
          HttpClient.Builder b =
              HttpClient.newBuilder()
                  .connectTimeout(options.connectTimeout())
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .version(options.httpVersion())
                  .sslContext(sslContext)
                  .sslParameters(sslParameters());
          JdkProxies.apply(b, options.proxy());
          c = b.build();
          jdk = c;
        }
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return "HostClient[" + options + "]";
  }
}
