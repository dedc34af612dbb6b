package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.RegistryReply;
import dev.hoist.errors.UnavailableException;
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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one logical request to one registry host, composed of small steps in one place ({@link
 * #send}): each attempt adds the headers and the {@code User-Agent}, then the {@linkplain
 * AuthorizationStep authorization step} adds credentials, the transport sends ({@link Transports}),
 * the {@linkplain RedirectStep redirect step} follows {@code GET} redirects by hand; a 401 from the
 * registry goes back to the authorization step once; every outcome then goes to the pure {@link
 * RetryDecision}, which answers, retries after a delay (408, 429, 500, 502, 503, 504, connection
 * errors, by the {@link RetryPolicy}) or gives up.
 *
 * <p>Resume is owned by three layers, each doing only what the one below could not:
 *
 * <ol>
 *   <li>the connection pool ({@code Http1Transport}) sends a request again on a new connection when
 *       a pooled connection turns out dead before any reply byte (nothing was delivered, so nothing
 *       is resumed);
 *   <li>{@link ResumingInputStream} re-requests the rest of a body that broke mid-stream with
 *       {@code Range}, within one fetch (next host first; 3 failures without progress end it);
 *   <li>{@code FetchHandler} with {@code Blobs.copy} (core) resumes a partial ingest an earlier
 *       fetch left in the store, from its offset.
 * </ol>
 *
 * <p>This class resumes nothing itself: it retries whole requests whose reply never started.
 */
public final class Requester implements AutoCloseable {

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
      Attempt a = attempt(call, policy);
      if (a.reply() != null && AuthorizationStep.isChallenge(call.uri(), a.reply())) {
        if (!AuthorizationStep.answer(call, a.reply(), authRetried)) {
          return a.reply();
        }
        a.reply().close();
        authRetried = true;
        attempt--; // answering a challenge is not a failed attempt
        continue;
      }
      Duration real = Duration.ofNanos(System.nanoTime() - start);
      Duration elapsed = real.compareTo(waited) > 0 ? real : waited;
      RetryDecision.Verdict verdict =
          RetryDecision.decide(policy, attempt, a.outcome(), elapsed, call.lastHost());
      if (verdict instanceof RetryDecision.Answer) {
        return a.reply();
      }
      if (verdict instanceof RetryDecision.GiveUp giveUp) {
        throw gaveUp(call, a, giveUp.why());
      }
      Duration delay = ((RetryDecision.Retry) verdict).after();
      discard(call, a, delay);
      sleep(delay);
      waited = waited.plus(delay);
    }
  }

  /**
   * One attempt's result: a reply (null after a connection failure) and the outcome the retry
   * decision reads.
   */
  private record Attempt(Reply reply, RetryDecision.Outcome outcome) {}

  /**
   * One attempt: the request with its redirects. A connection failure is an outcome, not an
   * exception; an interrupt ends the request.
   */
  private Attempt attempt(Call call, RetryPolicy policy) throws IOException {
    try {
      Reply reply = sendFollowingRedirects(call);
      return new Attempt(
          reply,
          new RetryDecision.Status(
              reply.status(),
              RetryAfter.parse(reply.header("Retry-After").orElse(null), policy.clock())));
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
      return new Attempt(null, new RetryDecision.Failure(e));
    }
  }

  /**
   * The exception when the retry decision gives up, with the registry's reply when there was one.
   */
  private static UnavailableException gaveUp(Call call, Attempt a, String why) {
    if (a.reply() != null) {
      RegistryReply from = RegistryErrors.replyOf(a.reply());
      return new UnavailableException(
          RegistryErrors.describe("registry " + call.host().host() + " unavailable", a.reply())
              + " ("
              + why
              + ")",
          from);
    }
    IOException e = ((RetryDecision.Failure) a.outcome()).error();
    return new UnavailableException(
        call.method()
            + " "
            + RegistryErrors.redact(call.uri())
            + ": "
            + describe(e)
            + " ("
            + why
            + ")",
        e);
  }

  /** Closes an attempt's reply before a retry, and says why it is retried. */
  private static void discard(Call call, Attempt a, Duration delay) {
    if (a.reply() != null) {
      a.reply().close();
      log.debug(
          "{} {} answered {}, retrying in {} ms",
          call.method(),
          RegistryErrors.redact(call.uri()),
          a.reply().status(),
          delay.toMillis());
    } else {
      log.debug(
          "retrying {} in {} ms after {}",
          RegistryErrors.redact(call.uri()),
          delay.toMillis(),
          describe(((RetryDecision.Failure) a.outcome()).error()));
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

  /** One attempt: the request, and the hops of the redirects the redirect step follows. */
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
        AuthorizationStep.authorize(call, uri, headers);
      }
      HttpClient.Version version = call.version() != null ? call.version() : settings.httpVersion();
      Reply reply =
          exchange(
              transports.client(call.host().transport()), call.method(), uri, version, headers);
      RedirectStep.Next next;
      try {
        next =
            RedirectStep.next(
                call.uri(),
                call.method(),
                uri,
                reply.status(),
                reply.header("Location").orElse(null),
                hop);
      } catch (RuntimeException e) {
        reply.close();
        throw e;
      }
      if (!(next instanceof RedirectStep.Follow follow)) {
        return reply;
      }
      reply.close();
      log.debug(
          "following redirect {} -> {}",
          RegistryErrors.redact(uri),
          RegistryErrors.redact(follow.to()));
      toRegistry = follow.toRegistry();
      uri = follow.to();
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
}
