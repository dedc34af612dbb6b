package dev.hoist.remotes.docker;

import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.reference.Reference;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.internal.BlobOpener;
import dev.hoist.remotes.docker.internal.ChunkBudget;
import dev.hoist.remotes.docker.internal.Durations;
import dev.hoist.remotes.docker.internal.ManifestResolution;
import dev.hoist.remotes.docker.internal.References;
import dev.hoist.remotes.docker.internal.Requester;
import dev.hoist.remotes.docker.internal.ResolverThreads;
import dev.hoist.remotes.docker.internal.Settings;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves image references against OCI / Docker v2 registries, as containerd's {@code
 * core/remotes/docker} resolver. Thread-safe; build one, share it, and close it when done: it owns
 * a pool of keep-alive connections and (started on first use) a timer thread and the chunk download
 * threads, all of which {@link #close()} ends.
 *
 * <pre>{@code
 * try (DockerResolver resolver = DockerResolver.builder()
 *     .userAgent("acme-deployer/2.3")
 *     .retryPolicy(RetryPolicy.builder().retryFor(Duration.ofSeconds(30)).build())
 *     .build()) {
 *   Resolved r = resolver.resolve("docker.io/library/alpine:3.20");
 *   try (InputStream in = resolver.fetcher(r.name()).fetch(r.descriptor())) { ... }
 * }
 * }</pre>
 *
 * <p>Resolving a tag asks the hosts with {@link HostCapability#PULL} and {@link
 * HostCapability#RESOLVE}, in order, with {@code HEAD /v2/<repo>/manifests/<tag>}; a digest
 * reference asks the {@code PULL} hosts for {@code manifests/<digest>}, then {@code
 * blobs/<digest>}. A 404 moves to the next host; when no host has the reference, the first other
 * error is thrown, else a {@link NotFoundException} naming the reference.
 *
 * <p>Where Hoist deliberately differs from containerd: fetchers ask only hosts with {@code PULL}
 * (containerd asks every host); 429 and 5xx back off with jitter and honour {@code Retry-After}
 * (containerd retries at once); redirects are followed by hand so that credentials never reach
 * another host and a redirect target is never sent {@code HEAD}; 401 and 403 become {@link
 * dev.hoist.errors.UnauthorizedException} (containerd leaves them unclassified); a stalled body
 * fails after {@link Builder#readIdleTimeout} instead of hanging.
 */
public final class DockerResolver implements Resolver {

  /** containerd's {@code MaxManifestSize}: 4 × 1048 × 1048 = 4,393,216 bytes. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 4 * 1048 * 1048L;

  /** Default {@link Builder#chunkSize(long)}: 8 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 8 << 20;

  /** Default {@link Builder#chunkParallelism(int)}. */
  public static final int DEFAULT_CHUNK_PARALLELISM = 4;

  private static final Logger log = LoggerFactory.getLogger(DockerResolver.class);

  private final RegistryHosts hosts;
  private final Requester requester;
  private final ManifestResolution resolution;
  private final ChunkBudget chunkBudget;
  private final ResolverThreads threads;
  private volatile boolean closed;

  private DockerResolver(Builder b) {
    Settings settings =
        new Settings(
            b.userAgent,
            b.retryPolicy,
            b.sleeper,
            b.readIdleTimeout,
            b.httpVersion,
            b.maxManifestBytes,
            b.followForeignUrls,
            b.chunkSize,
            b.chunkParallelism,
            b.http1Transport);
    this.chunkBudget = new ChunkBudget(b.chunkParallelism > 1 ? b.chunkParallelism : 0);
    this.threads = new ResolverThreads(b.chunkParallelism);
    this.requester = new Requester(settings, threads);
    this.resolution = new ManifestResolution(requester);
    this.hosts =
        b.hosts != null
            ? b.hosts
            : DockerHosts.builder()
                .authorizer(b.authorizers)
                .connectTimeout(b.connectTimeout)
                .httpVersion(b.httpVersion)
                .proxy(b.proxy)
                .build();
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves {@code ref} (normalised the Docker way: {@code nginx} is {@code
   * docker.io/library/nginx:latest}) to its root descriptor.
   *
   * @throws InvalidArgumentException for a malformed reference, or a manifest larger than the limit
   * @throws NotFoundException naming the reference when no host has it
   * @throws dev.hoist.errors.UnauthorizedException when credentials are missing or refused
   * @throws dev.hoist.errors.UnavailableException when the registry stays unreachable or overloaded
   * @throws dev.hoist.errors.FailedPreconditionException when the registry's digest contradicts the
   *     reference or the body
   */
  @Override
  public Resolved resolve(String ref) throws IOException {
    checkOpen();
    Reference r = References.normalize(ref);
    Digest digest = r.digest();
    List<RegistryHost> candidates = new ArrayList<>();
    for (RegistryHost h : hosts.hosts(r.hostname())) {
      if (h.has(HostCapability.PULL) && (digest != null || h.has(HostCapability.RESOLVE))) {
        candidates.add(h);
      }
    }
    if (candidates.isEmpty()) {
      throw new NotFoundException(
          "reference "
              + r
              + ": no registry host for "
              + r.hostname()
              + " may "
              + (digest != null ? "pull" : "resolve")
              + " it");
    }
    List<String> kinds = digest != null ? List.of("manifests", "blobs") : List.of("manifests");
    HoistException firstError = null;
    for (int i = 0; i < candidates.size(); i++) {
      RegistryHost host = candidates.get(i);
      for (String kind : kinds) {
        try {
          Descriptor d = resolution.resolveAt(host, i == candidates.size() - 1, r, kind);
          log.debug("resolved {} on {} to {}", r, host, d);
          return new Resolved(r.toString(), d);
        } catch (NotFoundException e) {
          log.debug("{} not found on {} ({})", r, host, kind);
        } catch (HoistException e) {
          log.debug("resolving {} on {} failed: {}", r, host, e.getMessage());
          if (firstError == null) {
            firstError = e;
          }
          break; // this host failed; the next host may still have it
        }
      }
    }
    if (firstError != null) {
      throw firstError;
    }
    throw new NotFoundException("reference " + r + ": not found");
  }

  /**
   * A fetcher for the repository {@code ref} names (its tag or digest is ignored).
   *
   * @throws InvalidArgumentException for a malformed reference
   * @throws FailedPreconditionException after {@link #close()}
   */
  @Override
  public DockerFetcher fetcher(String ref) throws IOException {
    checkOpen();
    Reference r = References.normalize(ref);
    return new DockerFetcher(
        new BlobOpener(requester, hosts.hosts(r.hostname()), r, chunkBudget, threads));
  }

  private void checkOpen() {
    if (closed) {
      throw new FailedPreconditionException("the resolver is closed");
    }
  }

  /**
   * Closes the pooled connections and ends the resolver's threads; fetches still reading fail.
   * Later {@code resolve} and {@code fetcher} calls throw {@link FailedPreconditionException}.
   * Idempotent. Closes the {@link RegistryHosts} too (given or default: a resolver owns its hosts,
   * whose authorizers hold the connections of token requests); an {@code HttpClient} handed in
   * ({@link dev.hoist.remotes.docker.config.TransportOptions#jdk}) belongs to the caller and stays
   * open.
   */
  @Override
  public void close() {
    closed = true;
    requester.close();
    threads.close();
    hosts.close();
  }

  private static String defaultUserAgent() {
    // From the jar's manifest, which the class loader has read already: reading the properties
    // resource instead costs a fresh JVM milliseconds (a jar URL connection, Properties).
    String manifest = DockerResolver.class.getPackage().getImplementationVersion();
    if (manifest != null && !manifest.isEmpty()) {
      return "hoist/" + manifest;
    }
    Properties p = new Properties();
    try (InputStream in = DockerResolver.class.getResourceAsStream("hoist-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Fall through to "unknown": a missing version must not stop the resolver.
    }
    String v = p.getProperty("version", "unknown");
    return "hoist/" + (v.startsWith("${") ? "unknown" : v);
  }

  /** Builds a {@link DockerResolver}. Every option has a sensible default. */
  public static final class Builder {
    private RegistryHosts hosts;
    private Function<String, Authorizer> authorizers = h -> Authorizer.NONE;
    private boolean authorizerSet;
    private String userAgent = defaultUserAgent();
    private long maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Duration connectTimeout = HostOptions.DEFAULT_CONNECT_TIMEOUT;
    private Duration readIdleTimeout = Duration.ofSeconds(60);
    private HttpClient.Version httpVersion = HttpClient.Version.HTTP_1_1;
    private boolean followForeignUrls;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private int chunkParallelism = DEFAULT_CHUNK_PARALLELISM;
    private boolean http1Transport = true;
    private ProxySettings proxy = ProxySettings.NONE;

    private Builder() {}

    /**
     * The HTTP proxies of the default hosts (custom hosts bring their own: {@link
     * dev.hoist.remotes.docker.config.HostOptions.Builder#proxy}); default none.
     *
     * @param proxy e.g. {@link ProxySettings#fromEnvironment(java.util.Map)}
     * @return this builder
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * The hosts to ask for each registry; default {@link DockerHosts} (Docker Hub, plain HTTP for
     * localhost, HTTPS elsewhere). Custom hosts bring their own transport options, so {@link
     * #connectTimeout} and {@link #authorizer} only shape the default hosts.
     *
     * @param hosts maps a reference's host to the endpoints to try
     * @return this builder
     */
    public Builder hosts(RegistryHosts hosts) {
      this.hosts = Objects.requireNonNull(hosts, "hosts");
      return this;
    }

    /**
     * The authorizer for each endpoint host, used by the default hosts; default none.
     *
     * @param perHost maps an endpoint host (e.g. {@code registry-1.docker.io}) to its authorizer
     * @return this builder
     */
    public Builder authorizer(Function<String, Authorizer> perHost) {
      this.authorizers = Objects.requireNonNull(perHost, "authorizer");
      this.authorizerSet = true;
      return this;
    }

    /**
     * The {@code User-Agent} header; default {@code hoist/<version>}.
     *
     * @param userAgent the header value, printable
     * @return this builder
     * @throws InvalidArgumentException when {@code userAgent} is blank or holds control characters
     */
    public Builder userAgent(String userAgent) {
      Objects.requireNonNull(userAgent, "userAgent");
      if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new InvalidArgumentException("invalid User-Agent \"" + userAgent.strip() + "\"");
      }
      this.userAgent = userAgent;
      return this;
    }

    /**
     * The largest manifest or index read into memory; default 4,393,216 bytes (containerd's).
     *
     * @param bytes positive
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes <= 0}
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0) {
        throw new InvalidArgumentException("maxManifestBytes must be positive, got " + bytes);
      }
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * How 408, 429, 5xx replies and connection errors are retried; default {@link
     * RetryPolicy#defaults()}.
     *
     * @param policy the retry policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /**
     * Waits between retries; tests pass a recording sleeper so that nothing really sleeps.
     *
     * @param sleeper waits between retries
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * How long connecting to one host may take (default 10 s), so that an unreachable mirror costs
     * seconds, not the OS's TCP timeout. Applies to the default hosts.
     *
     * @param d positive
     * @return this builder
     * @throws IllegalArgumentException when {@code d} is not positive
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Durations.positive(d, "connectTimeout");
      return this;
    }

    /**
     * How long one read of a response body may block (default 60 s), and how long a reply's headers
     * may take to arrive. A body that stalls longer fails with {@link
     * dev.hoist.errors.UnavailableException} (the fetcher first re-requests the rest with a range)
     * instead of hanging; late headers count as a connection error and are retried.
     *
     * @param d positive
     * @return this builder
     * @throws IllegalArgumentException when {@code d} is not positive
     */
    public Builder readIdleTimeout(Duration d) {
      this.readIdleTimeout = Durations.positive(d, "readIdleTimeout");
      return this;
    }

    /**
     * The HTTP version to ask for; default {@link HttpClient.Version#HTTP_1_1}.
     *
     * <p>With HTTP/1.1 each concurrent download has its own connection, as containerd's do, and the
     * requests go over Hoist's own connections ({@link #http1Transport}), which receive at a
     * fraction of the CPU {@code java.net.http} needs. With {@link HttpClient.Version#HTTP_2} (used
     * over TLS when the server offers it) every download from one host is multiplexed over a single
     * TCP connection sharing one flow-control window and any per-connection bandwidth cap, through
     * {@code java.net.http}; choose it when connections to the registry are scarce.
     *
     * @param version {@code HTTP_1_1} or {@code HTTP_2}
     * @return this builder
     */
    public Builder httpVersion(HttpClient.Version version) {
      this.httpVersion = Objects.requireNonNull(version, "httpVersion");
      return this;
    }

    /**
     * Whether a descriptor's {@code urls} (foreign, non-distributable layers) are tried before the
     * registry; default false. Those servers never receive credentials.
     *
     * @param follow true to try the {@code urls} first
     * @return this builder
     */
    public Builder followForeignUrls(boolean follow) {
      this.followForeignUrls = follow;
      return this;
    }

    /**
     * Bytes per {@code Range} chunk when one large blob is fetched as parallel chunks (default
     * {@value DockerResolver#DEFAULT_CHUNK_SIZE}, 8 MiB). Blobs no larger than one chunk are always
     * fetched as one stream.
     *
     * @param bytes 64 KiB to 256 MiB
     * @return this builder
     * @throws InvalidArgumentException when not between 64 KiB and 256 MiB
     */
    public Builder chunkSize(long bytes) {
      if (bytes < (64 << 10) || bytes > (256 << 20)) {
        throw new InvalidArgumentException(
            "chunkSize must be between 64 KiB and 256 MiB, got " + bytes);
      }
      this.chunkSize = (int) bytes;
      return this;
    }

    /**
     * How many chunks of one large blob download at once, as containerd's multipart layer fetch
     * (default {@value DockerResolver#DEFAULT_CHUNK_PARALLELISM}; 1 turns chunking off). It is also
     * the resolver-wide budget of chunk buffers: all fetches of this resolver together hold at most
     * {@code chunkParallelism × chunkSize} bytes of chunks, and a blob that cannot get two buffers
     * (other blobs hold them) is fetched as one stream. A server that answers a range with the full
     * body turns chunking off for the rest of that fetcher's blobs.
     *
     * <p>This budget is separate from a fetch's {@code maxConcurrentDownloads}, which bounds blobs
     * (handlers) in flight: a fetch holds at most {@code maxConcurrentDownloads} blob connections,
     * and its resolver at most {@code chunkParallelism} chunk connections besides. Why two budgets:
     * chunks exist to put several connections behind one large blob; counted against the blob
     * limit, a single-layer image would get no more connections than it has layers (the {@code
     * huge} benchmark, one 1 GiB layer, would lose the parallelism chunks give it), and a chunked
     * blob would starve the small blobs queued behind it. Set {@code chunkParallelism(1)} for
     * exactly one connection per blob, as containerd's single limiter gives.
     *
     * @param n 1 to 64
     * @return this builder
     * @throws InvalidArgumentException when not between 1 and 64
     */
    public Builder chunkParallelism(int n) {
      if (n < 1 || n > 64) {
        throw new InvalidArgumentException("chunkParallelism must be between 1 and 64, got " + n);
      }
      this.chunkParallelism = n;
      return this;
    }

    /**
     * Whether {@code GET} and {@code HEAD} requests that would travel over HTTP/1.1 anyway (plain
     * {@code http}, or {@code https} with {@link #httpVersion} {@code HTTP_1_1}) use Hoist's own
     * pooled HTTP/1.1 connections rather than {@code java.net.http}; default true.
     *
     * <p>Receiving is where a pull spends its CPU, and {@code java.net.http} spends several times
     * what a blocking socket read into a reused buffer does (a new buffer and a publisher hand-off
     * per socket read): with it off, the same fetch of large layers from a local registry takes
     * about 1.5× the time. The connections honour the TLS settings ({@code SSLContext}, {@code
     * SSLParameters}, server name verification), connect timeout and proxies Hoist configured for
     * the host; a client the caller built or customised is always used as is. Turn it off to send
     * everything through {@code java.net.http}.
     *
     * @param on false to send every request through {@code java.net.http}
     * @return this builder
     */
    public Builder http1Transport(boolean on) {
      this.http1Transport = on;
      return this;
    }

    /**
     * {@return the resolver, safe for concurrent use; build one and share it}
     *
     * @throws InvalidArgumentException when both {@link #hosts} and {@link #authorizer} (or {@link
     *     #proxy}) were set: custom hosts carry their own authorizers and transport options, so the
     *     option would be silently ignored
     */
    public DockerResolver build() {
      if (hosts != null && (authorizerSet || proxy.isConfigured())) {
        throw new InvalidArgumentException(
            "DockerResolver.builder(): authorizer(...) and proxy(...) shape the default hosts only; with hosts(...)"
                + " configure them on the hosts (HostOptions.Builder.authorizer/credentials/proxy)");
      }
      return new DockerResolver(this);
    }
  }
}
