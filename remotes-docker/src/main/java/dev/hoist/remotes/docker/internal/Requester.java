package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.RegistryReply;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.internal.ServerText;
import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.remotes.docker.internal.http1.PlainHttpReplyException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical request to one registry host: adds the host's headers, the {@code User-Agent}
 * and authorization; answers a 401 challenge once through the host's {@link Authorizer}; retries
 * 408, 429, 500, 502, 503, 504 and connection errors by the {@link RetryPolicy}; and follows
 * redirects of {@code GET}s by hand.
 *
 * <p>Redirects are followed here rather than by {@code HttpClient} so that the registry's {@code
 * Authorization} and configured headers never reach another host (object stores and CDNs get a bare
 * {@code GET}), {@code https → http} and non-HTTP schemes are refused, and a {@code HEAD} is never
 * sent to a redirect target (pre-signed URLs are signed for {@code GET} only).
 */
public final class Requester implements AutoCloseable {

  /** Redirect hops followed per request, as browsers and oras-java cap them. */
  static final int MAX_REDIRECTS = 10;

  private static final Logger log = LoggerFactory.getLogger(Requester.class);

  private final Settings settings;

  /** Hoist's own HTTP/1.1 connections and the hosts' {@code java.net.http} clients. */
  private final Transports transports;

  /**
   * @param settings the resolver's request options
   * @param threads the resolver's threads: the idle-read checks and the pool's sweeps run there
   */
  public Requester(Settings settings, ResolverThreads threads) {
    this.settings = settings;
    this.transports =
        new Transports(
            settings.http1Transport() ? new OwnTransport(threads::timer) : null,
            new JdkTransport(threads::timer));
  }

  /** Closes the idle pooled connections; connections in use close when their bodies end. */
  @Override
  public void close() {
    transports.close();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * One request.
   *
   * @param host the registry host; its transport options, authorizer and headers are used
   * @param method {@code GET} or {@code HEAD}
   * @param uri the registry URI
   * @param headers extra request headers ({@code Accept}, {@code Range})
   * @param scopes the token scopes the request needs
   * @param lastHost true when no other host follows; failures are retried only then, so that one
   *     unreachable or overloaded mirror does not cost several timeouts or backoffs per request
   * @param version the HTTP version for this request, or null for the resolver's setting
   */
  public record Call(
      RegistryHost host,
      String method,
      URI uri,
      Map<String, String> headers,
      List<String> scopes,
      boolean lastHost,
      HttpClient.Version version) {

    public Call {
      headers = Map.copyOf(headers);
      scopes = List.copyOf(scopes);
    }

    /** A call with the resolver's HTTP version. */
    public Call(
        RegistryHost host,
        String method,
        URI uri,
        Map<String, String> headers,
        List<String> scopes,
        boolean lastHost) {
      this(host, method, uri, headers, scopes, lastHost, null);
    }
  }

  static boolean isRetryableStatus(int status) {
    return RetryDecision.isRetryableStatus(status);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Sends {@code call}, retrying as configured. Returns the final reply: a 2xx, or a status the
   * caller classifies (404, 405, 401 after the authorizer gave up, other 4xx). A redirect is
   * returned as is for {@code HEAD}.
   *
   * @throws UnavailableException when retries are exhausted or the connection fails
   * @throws InvalidArgumentException for a redirect to a refused scheme or too many redirects
   */
  public Reply send(Call call) throws IOException {
    RetryPolicy policy = settings.retryPolicy();
    long start = System.nanoTime();
    // The time the sleeper was asked to wait counts too: a test's sleeper returns at once.
    Duration waited = Duration.ZERO;
    boolean authRetried = false;
    int attempt = 0;
    while (true) {
      attempt++;
      Reply reply;
      RetryDecision.Outcome outcome;
      try {
        reply = sendFollowingRedirects(call);
        outcome =
            new RetryDecision.Status(
                reply.status(),
                RetryAfter.parse(reply.header("Retry-After").orElse(null), policy.clock()));
      } catch (IOException e) {
        if (e instanceof InterruptedIOException) {
          throw e;
        }
        if (Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException) {
          // Cancelled, not a network failure: retrying would only fail again (or worse, succeed
          // late).
          InterruptedIOException interrupted =
              new InterruptedIOException(
                  call.method() + " " + RegistryErrors.redact(call.uri()) + " interrupted");
          interrupted.initCause(e);
          throw interrupted;
        }
        reply = null;
        outcome = new RetryDecision.Failure(e);
      }
      if (reply != null && reply.status() == 401 && sameOrigin(call.uri(), reply.uri())) {
        // Only the registry's own challenges go to its authorizer; a redirect target's 401 is
        // final.
        Authorizer authorizer = call.host().authorizer();
        boolean again;
        try {
          // After the one retry the authorizer still sees the 401, so that it can explain the
          // refusal (DockerAuthorizer throws "pull access denied ..."); its answer is ignored then.
          again =
              authorizer.onUnauthorized(authRequest(call, call.uri()), reply.headers())
                  && !authRetried;
        } catch (IOException | RuntimeException e) {
          reply.close();
          throw e;
        }
        if (again) {
          reply.close();
          authRetried = true;
          attempt--; // answering a challenge is not a failed attempt
          continue;
        }
        return reply;
      }
      Duration real = Duration.ofNanos(System.nanoTime() - start);
      Duration elapsed = real.compareTo(waited) > 0 ? real : waited;
      RetryDecision.Verdict verdict =
          RetryDecision.decide(policy, attempt, outcome, elapsed, call.lastHost());
      if (verdict instanceof RetryDecision.Answer) {
        return reply;
      }
      if (verdict instanceof RetryDecision.GiveUp giveUp) {
        if (reply != null) {
          RegistryReply from = RegistryErrors.replyOf(reply);
          throw new UnavailableException(
              RegistryErrors.describe("registry " + call.host().host() + " unavailable", reply)
                  + " ("
                  + giveUp.why()
                  + ")",
              from);
        }
        IOException e = ((RetryDecision.Failure) outcome).error();
        throw new UnavailableException(
            call.method()
                + " "
                + RegistryErrors.redact(call.uri())
                + ": "
                + describe(e)
                + " ("
                + giveUp.why()
                + ")",
            e);
      }
      Duration delay = ((RetryDecision.Retry) verdict).after();
      if (reply != null) {
        reply.close();
        log.debug(
            "{} {} answered {}, retrying in {} ms",
            call.method(),
            RegistryErrors.redact(call.uri()),
            reply.status(),
            delay.toMillis());
      } else {
        log.debug(
            "retrying {} in {} ms after {}",
            RegistryErrors.redact(call.uri()),
            delay.toMillis(),
            describe(((RetryDecision.Failure) outcome).error()));
      }
      sleep(delay);
      waited = waited.plus(delay);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    String d = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    if (e instanceof PlainHttpReplyException) {
      return m;
    }
    if (isTlsFailure(e)) {
      return "TLS handshake failed ("
          + d
          + "); if the server certificate is not trusted, configure"
          + " its CA (ca in hosts.toml, or a *.crt in the host's certs.d directory) or skip_verify;"
          + " if the server requires a client certificate, configure client";
    }
    return d;
  }

  private static boolean isTlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  private void sleep(Duration d) throws InterruptedIOException {
    try {
      settings.sleeper().sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  private AuthRequest authRequest(Call call, URI uri) {
    return new AuthRequest(call.method(), uri, call.scopes());
  }

  private Reply sendFollowingRedirects(Call call) throws IOException {
    URI uri = call.uri();
    boolean toRegistry = true;
    for (int hop = 0; ; hop++) {
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      headers.add(Map.entry("User-Agent", settings.userAgent()));
      call.headers().forEach((k, v) -> headers.add(Map.entry(k, v)));
      if (toRegistry) {
        // Credentials and configured headers go only to the registry host itself.
        call.host().headers().forEach((k, vs) -> vs.forEach(v -> headers.add(Map.entry(k, v))));
        URI at = uri;
        call.host()
            .authorizer()
            .authorize(authRequest(call, at))
            .ifPresent(a -> headers.add(Map.entry("Authorization", a)));
      }
      HttpClient.Version version = call.version() != null ? call.version() : settings.httpVersion();
      Reply reply =
          exchange(
              transports.client(call.host().transport()), call.method(), uri, version, headers);
      if (!isRedirect(reply.status()) || !call.method().equals("GET")) {
        return reply;
      }
      String location = reply.header("Location").orElse(null);
      reply.close();
      if (location == null) {
        throw new UnavailableException(
            "GET "
                + RegistryErrors.redact(uri)
                + ": redirect "
                + reply.status()
                + " without a Location header");
      }
      if (hop + 1 > MAX_REDIRECTS) {
        throw new InvalidArgumentException(
            "GET "
                + RegistryErrors.redact(call.uri())
                + ": more than "
                + MAX_REDIRECTS
                + " redirects");
      }
      URI next = resolveLocation(uri, location);
      log.debug(
          "following redirect {} -> {}", RegistryErrors.redact(uri), RegistryErrors.redact(next));
      toRegistry = sameOrigin(call.uri(), next);
      uri = next;
    }
  }

  /** One request and its reply head, over the transport the configuration picks. */
  private Reply exchange(
      HostClient client,
      String method,
      URI uri,
      HttpClient.Version version,
      List<Map.Entry<String, String>> headers)
      throws IOException {
    try {
      Transport.Response r =
          transports.send(
              new Transport.Request(
                  client, method, uri, version, headers, settings.readIdleTimeout()));
      return new Reply(method, uri, r.status(), r.headers(), r.body());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(
          "cannot request " + RegistryErrors.redact(uri) + ": " + e.getMessage(), e);
    }
  }

  static URI resolveLocation(URI from, String location) {
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": malformed redirect Location \""
              + shorten(location)
              + "\"",
          e);
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": refusing redirect to scheme \""
              + shorten(scheme)
              + "\"");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": refusing redirect from https to http ("
              + RegistryErrors.redact(next)
              + ")");
    }
    if (next.getHost() == null) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": redirect Location without a host \""
              + shorten(location)
              + "\"");
    }
    return next;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getRawAuthority() != null
        && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority());
  }

  /** A server's Location (or part of it) fit for a message, through {@link ServerText}. */
  private static String shorten(String s) {
    return ServerText.clean(s, 100);
  }
}
