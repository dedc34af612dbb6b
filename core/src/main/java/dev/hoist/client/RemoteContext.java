package dev.hoist.client;

import dev.hoist.client.internal.ProvidedResolver;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.images.ChildLabelMap;
import dev.hoist.images.Handler;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.ResolverProvider;
import dev.hoist.spec.OciJson;
import dev.hoist.spec.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * The options of one {@link Client#fetch}, as containerd's {@code RemoteContext}. Immutable and
 * thread-safe; build it with {@link #builder()}:
 *
 * <pre>{@code
 * RemoteContext ctx = RemoteContext.builder()
 *     .platforms("linux/arm64")
 *     .maxConcurrentDownloads(6)
 *     .label("dev.hoist/source", "nightly")
 *     .progress(listener)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: the resolver from {@link ServiceLoader} ({@code hoist-remotes-docker} provides one;
 * a {@link Client} builds that default once and shares it across its fetches, so they share one
 * connection pool and token cache, and closes it with itself); a fresh pool of daemon threads named
 * {@code hoist-fetch-N} per fetch, shut down when the fetch returns; the platform matcher {@link
 * Platforms#defaultStrict()}, i.e. exactly the platform of this JVM, as {@code ctr content fetch}
 * without {@code --platform} (on linux/amd64: amd64 only, not 386; pass {@code
 * platformMatcher(Platforms.all())} for every platform); every matching manifest of an index
 * ({@link Builder#limitManifests} 0, as containerd's {@code Fetch}); 8 concurrent downloads;
 * manifests up to {@link OciJson#DEFAULT_MAX_MANIFEST_BYTES}; containerd's garbage-collection child
 * labels; no image labels, base handlers, wrapper or progress listener.
 *
 * <p>What a fetch stores, as ctr's flags: by default the index, the matching manifests, their
 * configs and layers; {@link Builder#allMetadata} adds every other platform's manifest and config;
 * {@link Builder#metadataOnly} stores the index, every manifest and every config and no layer
 * (containerd sets all-metadata with a matcher that matches nothing), whatever the platforms. When
 * an index offers platforms and none matches (and neither of those two is set), the fetch fails
 * with a {@link dev.hoist.errors.NotFoundException} naming the wanted and the offered platforms and
 * records no image; ctr would succeed with the index alone.
 *
 * <p>containerd's {@code Pull} rule, what a host can run and only the best match, is {@code
 * platformMatcher(Platforms.defaultMatcher()).limitManifests(1)} (or {@code
 * Platforms.only(platform)} for another platform).
 */
public final class RemoteContext {

  /**
   * Default blobs fetched at once: 8, not containerd's 3. Measured with {@code bench/run} (2 cores,
   * loopback registry): an image of 200 small layers fetched 25 % faster at 8 than at 3 (each blob
   * waits on its own requests and fsyncs, which overlap), 16 was no better, and 1 GiB in 8 large
   * layers was the same at 3 and 6 (see bench/RESULTS.md).
   */
  public static final int DEFAULT_MAX_CONCURRENT_DOWNLOADS = 8;

  private final Resolver resolver;
  private final Executor executor;
  private final MatchComparer platformMatcher;
  private final List<Platform> platforms;
  private final boolean allMetadata;
  private final boolean metadataOnly;
  private final int limitManifests;
  private final int maxConcurrentDownloads;
  private final Map<String, String> labels;
  private final List<Handler> baseHandlers;
  private final UnaryOperator<Handler> handlerWrapper;
  private final ChildLabelMap childLabelMap;
  private final ProgressListener progress;
  private final long maxManifestBytes;
  private final Duration timeout;

  private RemoteContext(Builder b, Resolver resolver, MatchComparer matcher) {
    this.resolver = resolver;
    this.executor = b.executor;
    this.platformMatcher = matcher;
    this.platforms = List.copyOf(b.platforms);
    this.allMetadata = b.allMetadata;
    this.metadataOnly = b.metadataOnly;
    this.limitManifests = b.limitManifests;
    this.maxConcurrentDownloads = b.maxConcurrentDownloads;
    this.labels = Map.copyOf(b.labels);
    this.baseHandlers = List.copyOf(b.baseHandlers);
    this.handlerWrapper = b.handlerWrapper == null ? UnaryOperator.identity() : b.handlerWrapper;
    this.childLabelMap = b.childLabelMap == null ? ChildLabelMap.gcLabels() : b.childLabelMap;
    this.progress = b.progress == null ? ProgressListener.NONE : b.progress;
    this.maxManifestBytes = b.maxManifestBytes;
    this.timeout = b.timeout;
  }

  private RemoteContext(RemoteContext c, Duration timeout) {
    this.resolver = c.resolver;
    this.executor = c.executor;
    this.platformMatcher = c.platformMatcher;
    this.platforms = c.platforms;
    this.allMetadata = c.allMetadata;
    this.metadataOnly = c.metadataOnly;
    this.limitManifests = c.limitManifests;
    this.maxConcurrentDownloads = c.maxConcurrentDownloads;
    this.labels = c.labels;
    this.baseHandlers = c.baseHandlers;
    this.handlerWrapper = c.handlerWrapper;
    this.childLabelMap = c.childLabelMap;
    this.progress = c.progress;
    this.maxManifestBytes = c.maxManifestBytes;
    this.timeout = timeout;
  }

  /** This context without its deadline: what runs inside a fetch that keeps the deadline. */
  RemoteContext withoutTimeout() {
    return timeout == null ? this : new RemoteContext(this, null);
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The resolver set on the builder or, when none was, the {@link ServiceLoader} default (built on
   * first use; a {@link Client} uses its own shared default instead).
   *
   * @return the resolver
   */
  public Resolver resolver() {
    return resolver;
  }

  /**
   * The provider of the default resolver when none was set, else null: the client's cue to share
   * its own.
   */
  ResolverProvider defaultResolverProvider() {
    return resolver instanceof ProvidedResolver p ? p.provider() : null;
  }

  /**
   * {@return the deadline of one fetch, from its start to the image recorded; empty for none} A
   * fetch past it is cancelled (partial downloads kept for a resume) and fails with {@link
   * dev.hoist.errors.UnavailableException}.
   */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** {@return the injected executor; empty when each fetch makes (and shuts down) its own pool} */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** {@return the matcher that chooses which platforms' manifests are fetched} */
  public MatchComparer platformMatcher() {
    return platformMatcher;
  }

  /** {@return the platforms given with {@link Builder#platforms}, parsed; empty otherwise} */
  public List<Platform> platforms() {
    return platforms;
  }

  /**
   * {@return true to fetch every platform's manifest and config, and layers only of matching ones}
   */
  public boolean allMetadata() {
    return allMetadata;
  }

  /** {@return true to fetch no layers at all: the index, every manifest and every config} */
  public boolean metadataOnly() {
    return metadataOnly;
  }

  /** {@return how many matching manifests of an index are fetched, best first; 0 means all} */
  public int limitManifests() {
    return limitManifests;
  }

  /** {@return the most blobs fetched at a time, i.e. the most handler calls in flight} */
  public int maxConcurrentDownloads() {
    return maxConcurrentDownloads;
  }

  /** {@return the labels recorded on the fetched {@link dev.hoist.images.Image}} */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * {@return the handlers run on every descriptor before the built-in ones, in order} They run
   * concurrently: on the fetch's executor, for up to {@link #maxConcurrentDownloads()} descriptors
   * at once, so each must be thread-safe.
   */
  public List<Handler> baseHandlers() {
    return baseHandlers;
  }

  /** {@return the function that wraps the complete handler chain; identity by default} */
  public UnaryOperator<Handler> handlerWrapper() {
    return handlerWrapper;
  }

  /**
   * {@return the label keys a parent gets for its children; containerd's garbage-collection labels
   * by default}
   */
  public ChildLabelMap childLabelMap() {
    return childLabelMap;
  }

  /**
   * {@return the listener told of the fetch's progress; {@link ProgressListener#NONE} by default}
   */
  public ProgressListener progress() {
    return progress;
  }

  /** {@return the size in bytes above which a manifest or index is refused} */
  public long maxManifestBytes() {
    return maxManifestBytes;
  }

  @Override
  public String toString() {
    return "RemoteContext{platformMatcher="
        + platformMatcher
        + ", allMetadata="
        + allMetadata
        + ", metadataOnly="
        + metadataOnly
        + ", limitManifests="
        + limitManifests
        + ", maxConcurrentDownloads="
        + maxConcurrentDownloads
        + ", baseHandlers="
        + baseHandlers.size()
        + ", labels="
        + labels.keySet()
        + "}";
  }

  /**
   * Builds a {@link RemoteContext}. Not thread-safe. Options are validated as they are set: setting
   * one twice, or both {@link #platforms} and {@link #platformMatcher}, throws {@link
   * IllegalStateException}.
   */
  public static final class Builder {
    private Resolver resolver;
    private Executor executor;
    private MatchComparer platformMatcher;
    private final List<Platform> platforms = new ArrayList<>();
    private boolean platformsSet;
    private boolean allMetadata;
    private boolean metadataOnly;
    private int limitManifests;
    private int maxConcurrentDownloads = DEFAULT_MAX_CONCURRENT_DOWNLOADS;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<Handler> baseHandlers = new ArrayList<>();
    private UnaryOperator<Handler> handlerWrapper;
    private ChildLabelMap childLabelMap;
    private ProgressListener progress;
    private long maxManifestBytes = OciJson.DEFAULT_MAX_MANIFEST_BYTES;
    private Duration timeout;

    private Builder() {}

    /**
     * Resolves references and fetches blobs with {@code resolver} instead of the default from
     * {@link ResolverProvider}.
     *
     * @param resolver the resolver to use for the fetch
     * @return this builder
     * @throws IllegalStateException when a resolver was already set
     */
    public Builder resolver(Resolver resolver) {
      once(this.resolver, "resolver");
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Runs handlers on {@code executor}, which Hoist never shuts down.
     *
     * @param executor the executor for handler calls, owned by the caller
     * @return this builder
     * @throws IllegalStateException when an executor was already set
     */
    public Builder executor(Executor executor) {
      once(this.executor, "executor");
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Fetches the manifests for {@code platforms} (e.g. {@code linux/arm64/v8}), each matched
     * exactly (normalised: {@code linux/amd64} does not take {@code linux/386}), preferred in the
     * order given ({@link Platforms#ordered}), as ctr's {@code --platform}.
     *
     * @param platforms at least one platform specifier, most preferred first
     * @return this builder
     * @throws dev.hoist.errors.InvalidArgumentException naming a platform that does not parse
     * @throws IllegalStateException when a platform matcher or platforms were already set
     */
    public Builder platforms(String... platforms) {
      if (platformMatcher != null || platformsSet) {
        throw new IllegalStateException("platforms: platforms or platformMatcher already set");
      }
      if (platforms.length == 0) {
        throw new IllegalArgumentException("platforms: at least one platform required");
      }
      List<Platform> parsed = new ArrayList<>();
      for (String p : platforms) {
        parsed.add(Platforms.parse(Objects.requireNonNull(p, "platform")));
      }
      this.platforms.addAll(parsed);
      this.platformsSet = true;
      return this;
    }

    /**
     * Fetches the manifests {@code matcher} accepts, preferred in its order.
     *
     * @param matcher accepts and orders the platforms to fetch
     * @return this builder
     * @throws IllegalStateException when platforms or a platform matcher were already set
     */
    public Builder platformMatcher(MatchComparer matcher) {
      if (platformMatcher != null || platformsSet) {
        throw new IllegalStateException(
            "platformMatcher: platforms or platformMatcher already set");
      }
      this.platformMatcher = Objects.requireNonNull(matcher, "matcher");
      return this;
    }

    /**
     * Fetches the manifest and config of every platform, and the layers only of the platforms
     * matched (containerd's {@code WithAllMetadata}).
     *
     * @param allMetadata true to fetch every platform's manifest and config
     * @return this builder
     */
    public Builder allMetadata(boolean allMetadata) {
      this.allMetadata = allMetadata;
      return this;
    }

    /**
     * Fetches no layers: the index, every platform's manifest and every config, as {@code ctr
     * content fetch --metadata-only}; the platforms then choose nothing. Combines with {@link
     * #allMetadata} and any platforms.
     *
     * @param metadataOnly true to skip every layer
     * @return this builder
     */
    public Builder metadataOnly(boolean metadataOnly) {
      this.metadataOnly = metadataOnly;
      return this;
    }

    /**
     * Fetches at most {@code n} matching manifests of each index, the most preferred first
     * (containerd's {@code LimitManifests}; its {@code Pull} uses 1); 0 (the default) fetches every
     * match, as containerd's {@code Fetch}.
     *
     * @param n the most manifests per index, or 0 for all
     * @return this builder
     * @throws IllegalArgumentException when {@code n < 0}
     */
    public Builder limitManifests(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("limitManifests must be zero or positive: " + n);
      }
      this.limitManifests = n;
      return this;
    }

    /**
     * At most {@code n} blobs are fetched at a time (default {@value
     * RemoteContext#DEFAULT_MAX_CONCURRENT_DOWNLOADS}). This bounds blobs, not connections: a
     * resolver that fetches large blobs as parallel range chunks (the Docker resolver's {@code
     * chunkParallelism}) adds at most that many chunk connections of its own, shared by all its
     * fetches.
     *
     * @param n the most blobs in flight, positive
     * @return this builder
     * @throws IllegalArgumentException when {@code n <= 0}
     */
    public Builder maxConcurrentDownloads(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxConcurrentDownloads must be positive: " + n);
      }
      this.maxConcurrentDownloads = n;
      return this;
    }

    /**
     * Adds {@code labels} to those recorded on the image.
     *
     * @param labels label keys to values; a key set before is overwritten
     * @return this builder
     */
    public Builder labels(Map<String, String> labels) {
      labels.forEach(this::label);
      return this;
    }

    /**
     * Adds one image label.
     *
     * @param key the label key; a key set before is overwritten
     * @param value the label value
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a handler run on every descriptor before the built-in ones. Base handlers run
     * concurrently, on up to {@link #maxConcurrentDownloads} descriptors at once, so {@code
     * handler} must be thread-safe.
     *
     * @param handler the handler, called once per distinct descriptor of the walk
     * @return this builder
     */
    public Builder baseHandler(Handler handler) {
      baseHandlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Adds handlers run on every descriptor before the built-in ones, in order. As with {@link
     * #baseHandler}, they run concurrently on different descriptors and must be thread-safe.
     *
     * @param handlers the handlers, in the order they run for one descriptor
     * @return this builder
     */
    public Builder baseHandlers(List<? extends Handler> handlers) {
      handlers.forEach(this::baseHandler);
      return this;
    }

    /**
     * Wraps the complete handler chain, e.g. to time or trace every descriptor.
     *
     * @param wrapper maps the complete chain to the handler actually run; must not return null
     * @return this builder
     * @throws IllegalStateException when a wrapper was already set
     */
    public Builder handlerWrapper(UnaryOperator<Handler> wrapper) {
      once(this.handlerWrapper, "handlerWrapper");
      this.handlerWrapper = Objects.requireNonNull(wrapper, "wrapper");
      return this;
    }

    /**
     * Chooses the garbage-collection labels a parent gets for its children.
     *
     * @param map the label keys for each child
     * @return this builder
     * @throws IllegalStateException when a map was already set
     */
    public Builder childLabelMap(ChildLabelMap map) {
      once(this.childLabelMap, "childLabelMap");
      this.childLabelMap = Objects.requireNonNull(map, "map");
      return this;
    }

    /**
     * A deadline for each fetch made with this context (default none): past it the fetch is
     * cancelled, as an interrupt would, and fails with {@link
     * dev.hoist.errors.UnavailableException}.
     *
     * @param deadline the longest a fetch may take, positive
     * @return this builder
     * @throws IllegalArgumentException when {@code deadline} is zero or negative
     */
    public Builder timeout(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + deadline);
      }
      this.timeout = deadline;
      return this;
    }

    /**
     * Receives progress events; it must be fast and must not block.
     *
     * @param listener the listener, called from the fetch's threads
     * @return this builder
     * @throws IllegalStateException when a listener was already set
     */
    public Builder progress(ProgressListener listener) {
      once(this.progress, "progress");
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Refuses manifests and indexes larger than {@code bytes} (default {@link
     * OciJson#DEFAULT_MAX_MANIFEST_BYTES}, containerd's limit).
     *
     * @param bytes the largest manifest or index accepted, positive
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes <= 0}
     */
    public Builder maxManifestBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxManifestBytes must be positive: " + bytes);
      }
      this.maxManifestBytes = bytes;
      return this;
    }

    /**
     * Builds the context, finding the default resolver when none was set.
     *
     * @return the immutable context
     * @throws FailedPreconditionException when no resolver was set and no {@link ResolverProvider}
     *     is on the class path
     */
    public RemoteContext build() {
      Resolver r = resolver != null ? resolver : defaultResolver();
      MatchComparer m = platformMatcher;
      if (m == null) {
        m =
            platformsSet
                ? Platforms.ordered(platforms.toArray(new Platform[0]))
                : Platforms.defaultStrict();
      }
      return new RemoteContext(this, r, m);
    }

    private static void once(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " already set");
      }
    }

    private static Resolver defaultResolver() {
      Optional<ResolverProvider> found = first(ServiceLoader.load(ResolverProvider.class));
      if (found.isEmpty()) {
        found =
            first(ServiceLoader.load(ResolverProvider.class, RemoteContext.class.getClassLoader()));
      }
      return found
          .<Resolver>map(ProvidedResolver::new)
          .orElseThrow(
              () ->
                  new FailedPreconditionException(
                      "no resolver: set RemoteContext.builder().resolver(...) or add the artifact"
                          + " dev.hoist:hoist-remotes-docker, which provides the default Docker"
                          + " registry resolver"));
    }

    private static Optional<ResolverProvider> first(ServiceLoader<ResolverProvider> loader) {
      Iterator<ResolverProvider> it = loader.iterator();
      return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
    }
  }
}
