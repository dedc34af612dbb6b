package dev.hoist.remotes.docker.auth;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.auth.internal.AuthMessages;
import dev.hoist.remotes.docker.auth.internal.HostPolicy;
import dev.hoist.remotes.docker.auth.internal.RetryMemory;
import dev.hoist.remotes.docker.auth.internal.Scopes;
import dev.hoist.remotes.docker.auth.internal.TokenCache;
import dev.hoist.remotes.docker.auth.internal.TokenFetcher;
import dev.hoist.remotes.docker.auth.internal.TokenLifetime;
import dev.hoist.remotes.docker.auth.internal.TokenRequest;
import dev.hoist.remotes.docker.auth.internal.TokenResponse;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker registry authentication, as containerd's {@code docker.NewDockerAuthorizer}: learns each
 * host's scheme from its {@code 401} challenges, then authorizes every later request to it.
 *
 * <ul>
 *   <li><b>Basic</b>: {@code Authorization: Basic} with the host's credentials, sent only to the
 *       host that asked and only over HTTPS, to a loopback host, or to a host configured with
 *       {@link Builder#plainHttpHosts}.
 *   <li><b>Bearer</b>: a token from the challenge's realm for the request's scopes ({@code
 *       repository:<repo>:pull}) merged with the challenge's. With credentials it first tries an
 *       OAuth2 {@code POST} (password or identity/refresh token grant) and falls back to {@code
 *       GET} with Basic auth when the server answers 400, 401, 404 or 405; anonymous callers use
 *       {@code GET}. Credentials go to the realm, which may be another host than the registry (that
 *       is how token auth delegates), under the same HTTPS-or-configured rule. Tokens are cached
 *       per host, realm, service and scope set; concurrent requests share one fetch; a token lives
 *       {@code expires_in} (at least 60 s, the spec default) from {@code issued_at} and is renewed
 *       {@link Builder#refreshSkew} early. Unlike containerd, a token without {@code expires_in} is
 *       not cached forever. A {@code refresh_token} from the server is kept and used for the next
 *       fetch instead of the password.
 *   <li>A request refused again after its retry with fresh authorization is an {@link
 *       UnauthorizedException} ("pull access denied …"), never a loop.
 * </ul>
 *
 * <p>One instance may serve several hosts; it is thread-safe. Secrets never appear in its log
 * lines, exception messages or {@code toString()}.
 *
 * <pre>{@code
 * DockerAuthorizer auth = DockerAuthorizer.builder()
 *     .credentials(CredentialsProvider.firstOf(
 *         CredentialsProvider.of("registry.example.com", "ci", System.getenv("REGISTRY_TOKEN")),
 *         DockerConfigCredentials.load()))
 *     .build();
 * Resolver resolver = DockerResolver.builder().authorizer(host -> auth).build();
 * }</pre>
 */
public final class DockerAuthorizer implements Authorizer, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DockerAuthorizer.class);

  private static final int MAX_ATTACHED = 4096;

  private final CredentialsProvider credentials;
  private final Clock clock;
  private final HostPolicy policy;
  private final TokenFetcher fetcher;
  private final TokenCache tokens;
  private final RetryMemory retries;
  private final Map<String, HostAuth> hosts = new ConcurrentHashMap<>();
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

  /** Request → the token generation attached to it, to know which token a 401 refused. */
  private final Map<String, Attached> attached = new ConcurrentHashMap<>();

  /** Which cached token a request was sent with. */
  private record Attached(String cacheKey, long generation) {}

  /**
   * What a host asked for. Basic credentials are looked up once, when the host challenges, so that
   * a credential helper does not run for every blob.
   */
  private record HostAuth(Challenge challenge, Credentials basic) {
    @Override
    public String toString() {
      return challenge.scheme();
    }
  }

  private DockerAuthorizer(Builder b) {
    this.credentials = b.credentials;
    this.clock = b.clock;
    this.policy = new HostPolicy(b.plainHttpHosts, b.plainHttpLoopback);
    this.fetcher =
        new TokenFetcher(
            b.transport,
            b.headers,
            b.userAgent,
            b.oauthClientId,
            b.tokenTimeout,
            b.oauthForPasswords);
    this.tokens = new TokenCache(clock, b.refreshSkew);
    this.retries = new RetryMemory(clock, Duration.ofSeconds(60));
  }

  /**
   * Closes the pooled connections of this authorizer's token requests; tokens already cached stay
   * usable, a new token request fails.
   */
  @Override
  public void close() {
    fetcher.close();
  }

  /** {@return a builder with no credentials (anonymous tokens only)} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<String> authorize(AuthRequest request) throws IOException {
    String host = HostPolicy.authority(request.uri());
    HostAuth h = hosts.get(host);
    RetryMemory.Entry retry = retries.onAuthorize(requestKey(request));
    if (h == null) {
      return Optional.empty();
    }
    Challenge c = h.challenge();
    if (c.isBasic()) {
      return basicHeader(h.basic(), request.uri());
    }
    List<String> extra = retry == null ? List.of() : retry.challengeScopes();
    List<String> scopes = scopes(request, extra);
    TokenCache.Token t = token(host, c, scopes, request);
    if (attached.size() > MAX_ATTACHED) {
      attached.clear(); // only successful requests linger here; forgetting them is harmless
    }
    attached.put(requestKey(request), new Attached(cacheKey(host, c, scopes), t.generation()));
    return Optional.of("Bearer " + t.value());
  }

  @Override
  public boolean onUnauthorized(AuthRequest request, HttpHeaders responseHeaders)
      throws IOException {
    String host = HostPolicy.authority(request.uri());
    List<Challenge> parsed;
    try {
      parsed = WwwAuthenticate.parse(responseHeaders.allValues("WWW-Authenticate"));
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(host + " answered 401 with " + e.getMessage(), e);
    }
    HostAuth auth = choose(host, request.uri(), parsed);
    if (auth == null) {
      LOG.debug("no usable challenge from {} in {}", host, parsed);
      return false;
    }
    Challenge chosen = auth.challenge();
    String key = requestKey(request);
    Attached refused = attached.remove(key);
    if (retries.isRetryOf(key)) {
      retries.forget(key);
      throw AuthMessages.denied(
          repository(request, scopes(request, chosen.scopes())),
          host,
          chosen,
          credentials.credentials(host));
    }
    hosts.put(host, auth);
    if (chosen.isBearer()) {
      // Drop the token this request carried (it was refused), but not one a concurrent request
      // fetched meanwhile: requests that raced to their first 401 carried none.
      if (refused != null) {
        tokens.invalidate(refused.cacheKey(), refused.generation());
      } else if (chosen.error().isPresent()) {
        tokens.invalidate(cacheKey(host, chosen, scopes(request, chosen.scopes())));
      }
    }
    retries.recordFirst(key, chosen.scopes());
    LOG.debug(
        "{} asked for {} auth; retrying {} {}",
        host,
        chosen.scheme(),
        request.method(),
        request.uri().getPath());
    return true;
  }

  /** The first challenge this authorizer can answer, or null. */
  private HostAuth choose(String host, URI uri, List<Challenge> parsed) {
    for (Challenge c : parsed) {
      if (c.isBearer()) {
        String realm = c.realm().orElse("");
        URI r = AuthMessages.realm(realm);
        if (r == null) {
          throw new InvalidArgumentException(
              host
                  + " sent a Bearer challenge without a valid absolute realm URL: \""
                  + AuthMessages.printable(realm)
                  + "\"");
        }
        return new HostAuth(c, null);
      }
      if (c.isBasic()) {
        Optional<Credentials> creds = credentials.credentials(host);
        if (creds.isEmpty()) {
          LOG.debug("{} asks for Basic auth and no credentials are known for it", host);
          continue;
        }
        if (!policy.mayReceiveCredentials(uri)) {
          LOG.warn(
              "not sending Basic credentials to {} over plain HTTP (not configured for it)", host);
          continue;
        }
        return new HostAuth(c, creds.get());
      }
    }
    return null;
  }

  private Optional<String> basicHeader(Credentials cr, URI uri) {
    if (!policy.mayReceiveCredentials(uri)) {
      return Optional.empty();
    }
    String pair = cr.username() + ":" + cr.secret();
    return Optional.of(
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  private TokenCache.Token token(String host, Challenge c, List<String> scopes, AuthRequest request)
      throws IOException {
    String key = cacheKey(host, c, scopes);
    try {
      return tokens.get(key, generation -> fetch(host, c, scopes, generation));
    } catch (UnauthorizedException e) {
      throw new UnauthorizedException(
          "authentication failed for "
              + repository(request, scopes)
              + " on "
              + host
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private TokenCache.Token fetch(String host, Challenge c, List<String> scopes, long generation)
      throws IOException {
    URI realm = AuthMessages.realm(c.realm().orElse(""));
    String service = c.service().orElse(null);
    Credentials creds = credentials.credentials(host).orElse(null);
    if (creds != null && !policy.mayReceiveCredentials(realm)) {
      LOG.warn(
          "not sending credentials for {} to token realm {} over plain HTTP; asking anonymously",
          host,
          HostPolicy.authority(realm));
      creds = null;
    }
    String refreshKey = host + " " + realm + " " + service;
    String kept = creds == null ? null : refreshTokens.get(refreshKey);
    TokenRequest req = new TokenRequest(realm, service, scopes, creds, kept);
    TokenResponse resp = fetcher.fetch(req, () -> refreshTokens.remove(refreshKey, kept));
    if (creds != null && resp.refreshToken() != null) {
      refreshTokens.put(refreshKey, resp.refreshToken());
    }
    return new TokenCache.Token(
        resp.token(), TokenLifetime.expiresAt(resp, clock.instant()), generation);
  }

  private static List<String> scopes(AuthRequest request, List<String> challengeScopes) {
    List<String> own = request.scopes();
    if (own.isEmpty()) {
      own = Scopes.derivePull(request.method(), request.uri()).map(List::of).orElse(List.of());
    }
    return Scopes.merge(own, challengeScopes);
  }

  private static String cacheKey(String host, Challenge c, List<String> scopes) {
    return host
        + " "
        + c.realm().orElse("")
        + " "
        + c.service().orElse("")
        + " "
        + String.join(" ", scopes);
  }

  private static String requestKey(AuthRequest r) {
    return r.method() + " " + r.uri();
  }

  private static String repository(AuthRequest request, List<String> scopes) {
    return Scopes.repository(scopes).orElse(request.uri().getPath());
  }

  @Override
  public String toString() {
    return "DockerAuthorizer" + hosts;
  }

  /** Options for {@link DockerAuthorizer}. */
  public static final class Builder {
    private CredentialsProvider credentials = CredentialsProvider.none();
    private TransportOptions transport = TransportOptions.defaults();
    private Clock clock = Clock.systemUTC();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String userAgent = "hoist";
    private String oauthClientId = "hoist";
    private boolean oauthForPasswords = true;
    private Duration refreshSkew = Duration.ofSeconds(5);
    private Duration tokenTimeout = Duration.ofSeconds(30);
    private Set<String> plainHttpHosts = Set.of();
    private boolean plainHttpLoopback = true;

    private Builder() {}

    /**
     * Where credentials come from (default: none, anonymous tokens only).
     *
     * @param credentials the provider asked for each host's credentials
     * @return this builder
     */
    public Builder credentials(CredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * How token servers are reached, e.g. the registry host's {@link
     * dev.hoist.remotes.docker.RegistryHost#transport() options} (its TLS settings and proxies).
     * Default: {@link TransportOptions#defaults()}.
     *
     * @param transport the transport options for token requests
     * @return this builder
     */
    public Builder transport(TransportOptions transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      transport.client().ifPresent(Builder::warnIfFollowingRedirects);
      return this;
    }

    /**
     * Sends token requests through {@code httpClient}, as {@link #transport
     * transport(TransportOptions.jdk(httpClient))}. It should never follow redirects ({@link
     * HttpClient.Redirect#NEVER}): JDKs before 22 forward {@code Authorization} to a redirect's
     * other host; one that does is logged as a warning.
     *
     * @param httpClient the client for token requests
     * @return this builder
     */
    public Builder httpClient(HttpClient httpClient) {
      return transport(TransportOptions.jdk(httpClient));
    }

    private static void warnIfFollowingRedirects(HttpClient httpClient) {
      if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
        LOG.warn(
            "the token client follows redirects ({}): credentials may reach a redirect target",
            httpClient.followRedirects());
      }
    }

    /**
     * The clock token expiry is measured with (tests inject one).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a header to every token request (containerd's {@code WithAuthHeader}).
     *
     * @param name the header name
     * @param value its value; a name may be given several values
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Adds headers to every token request, e.g. a host's configured {@code header} table.
     *
     * @param extra header names to their values
     * @return this builder
     */
    public Builder headers(Map<String, List<String>> extra) {
      extra.forEach((k, vs) -> vs.forEach(v -> header(k, v)));
      return this;
    }

    /**
     * The {@code User-Agent} of token requests (default {@code hoist}).
     *
     * @param userAgent the header value
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /**
     * The OAuth2 {@code client_id} (default {@code hoist}; containerd sends {@code
     * containerd-client}).
     *
     * @param clientId the {@code client_id} sent with OAuth2 token requests
     * @return this builder
     */
    public Builder oauthClientId(String clientId) {
      this.oauthClientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /**
     * Whether a username and password are first tried with an OAuth2 password grant (default true,
     * as containerd); when false they go straight to {@code GET} with Basic auth. Identity tokens
     * always use OAuth2.
     *
     * @param oauth false to skip the OAuth2 password grant
     * @return this builder
     */
    public Builder oauthForPasswords(boolean oauth) {
      this.oauthForPasswords = oauth;
      return this;
    }

    /**
     * How long before expiry a token is renewed (default 5 s).
     *
     * @param skew from zero to under 60 s
     * @return this builder
     * @throws IllegalArgumentException when {@code skew} is outside that range
     */
    public Builder refreshSkew(Duration skew) {
      if (skew == null || skew.isNegative() || skew.compareTo(TokenLifetime.MINIMUM) >= 0) {
        throw new IllegalArgumentException("refreshSkew must be in [0, 60s): " + skew);
      }
      this.refreshSkew = skew;
      return this;
    }

    /**
     * Timeout of one token request (default 30 s).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public Builder tokenTimeout(Duration timeout) {
      this.tokenTimeout = Durations.positive(timeout, "tokenTimeout");
      return this;
    }

    /**
     * Hosts ({@code host[:port]}) configured for plain HTTP, which may receive credentials over it:
     * a registry answering Basic challenges, or a token realm. Other {@code http://} hosts never
     * get credentials.
     *
     * @param hosts {@code host[:port]} of each plain-HTTP registry or realm
     * @return this builder
     */
    public Builder plainHttpHosts(String... hosts) {
      this.plainHttpHosts = Set.copyOf(List.of(hosts));
      return this;
    }

    /**
     * Whether loopback hosts ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) may receive
     * credentials over plain HTTP (default true: containerd talks HTTP to them by default, and
     * loopback traffic does not leave the machine).
     *
     * @param allowed false to keep credentials off plain-HTTP loopback hosts too
     * @return this builder
     */
    public Builder plainHttpLoopback(boolean allowed) {
      this.plainHttpLoopback = allowed;
      return this;
    }

    /** {@return the authorizer; thread-safe, shareable by several hosts} */
    public DockerAuthorizer build() {
      return new DockerAuthorizer(this);
    }
  }
}
