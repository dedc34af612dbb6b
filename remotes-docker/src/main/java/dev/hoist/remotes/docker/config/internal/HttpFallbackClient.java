package dev.hoist.remotes.docker.config.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link HttpClient} that sends {@code https} requests and, when the TLS handshake shows the
 * server speaks plain HTTP, repeats them over {@code http} and keeps doing so for that
 * {@code host:port} (containerd's {@code docker.NewHTTPFallback}). Used for hosts configured
 * with {@code http} and TLS settings, and for localhost with TLS files. Only a plaintext reply
 * to the ClientHello triggers the fallback: a certificate that fails verification never does,
 * so a TLS misconfiguration is reported rather than silently downgraded.
 *
 * <p>The client is shared; {@code close()}/{@code shutdown()} (JDK 21+) are no-ops because the
 * underlying client belongs to the {@code RegistryHosts} that made it.
 */
final class HttpFallbackClient extends HttpClient {

  private static final Logger log = LoggerFactory.getLogger(HttpFallbackClient.class);

  private final HttpClient delegate;
  private final Set<String> plainHttpAuthorities = ConcurrentHashMap.newKeySet();

  HttpFallbackClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (knownPlain(request)) {
      return delegate.send(toHttp(request), handler);
    }
    try {
      return delegate.send(request, handler);
    } catch (IOException e) {
      if (!isHttps(request) || !serverSpeaksPlainHttp(e)) {
        throw e;
      }
      rememberPlain(request);
      return delegate.send(toHttp(request), handler);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    if (knownPlain(request)) {
      return delegate.sendAsync(toHttp(request), handler, pushPromiseHandler);
    }
    return delegate
        .sendAsync(request, handler, pushPromiseHandler)
        .handle(
            (resp, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(resp);
              }
              Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
              if (isHttps(request) && serverSpeaksPlainHttp(cause)) {
                rememberPlain(request);
                return delegate.sendAsync(toHttp(request), handler, pushPromiseHandler);
              }
              return CompletableFuture.<HttpResponse<T>>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /**
   * True when the handshake failed because the reply was not a TLS record: the JDK reports
   * the {@code HTTP/1.x 400} a plain server sends back to a ClientHello as an
   * "unrecognized SSL message" (Go's equivalent is the {@code "HTTP/"} record header check).
   */
  static boolean serverSpeaksPlainHttp(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException && t.getMessage() != null) {
        String m = t.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("unrecognized ssl message") || m.contains("plaintext connection")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean isHttps(HttpRequest request) {
    return "https".equalsIgnoreCase(request.uri().getScheme());
  }

  private boolean knownPlain(HttpRequest request) {
    return isHttps(request) && plainHttpAuthorities.contains(request.uri().getRawAuthority());
  }

  private void rememberPlain(HttpRequest request) {
    if (plainHttpAuthorities.add(request.uri().getRawAuthority())) {
      log.debug(
          "host={} answered the TLS handshake in plain HTTP; using http from now on",
          request.uri().getRawAuthority());
    }
  }

  private static HttpRequest toHttp(HttpRequest request) {
    URI u = request.uri();
    // Swap the scheme on the raw string so that escaped path and query stay as they were.
    URI http = URI.create("http" + u.toString().substring(u.getScheme().length()));
    return HttpRequest.newBuilder(request, (name, value) -> true).uri(http).build();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  /** No-op on JDK 21+: the shared client outlives any one user. */
  public void shutdown() {}

  /** No-op on JDK 21+: the shared client outlives any one user. */
  public void shutdownNow() {}

  /** Always false: the shared client is never shut down through this view. */
  public boolean isTerminated() {
    return false;
  }

  /** No-op on JDK 21+: the shared client outlives any one user. */
  public void close() {}
}
