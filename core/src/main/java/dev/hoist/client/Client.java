package dev.hoist.client;

import dev.hoist.client.internal.AsyncFetch;
import dev.hoist.client.internal.CountingProgress;
import dev.hoist.client.internal.FetchPool;
import dev.hoist.client.internal.ProvidedResolver;
import dev.hoist.client.internal.Puller;
import dev.hoist.client.internal.RequireMatchingManifest;
import dev.hoist.client.internal.SafeProgressListener;
import dev.hoist.client.internal.SourceLabelling;
import dev.hoist.client.internal.StoredLayers;
import dev.hoist.client.internal.UnpackPlan;
import dev.hoist.client.internal.Unpacker;
import dev.hoist.content.ContentStore;
import dev.hoist.diff.Applier;
import dev.hoist.digest.internal.Sha256WarmUp;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.gc.CollectionLock;
import dev.hoist.images.Dispatch;
import dev.hoist.images.Handler;
import dev.hoist.images.Handlers;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.images.InMemoryImageStore;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.reference.DockerReferences;
import dev.hoist.remotes.FetchHandler;
import dev.hoist.remotes.Fetcher;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.ResolverProvider;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches images into a content store and records them in an image store, as containerd's {@code
 * client.Fetch}. Thread-safe: several fetches may run at once. The stores belong to the caller;
 * {@link #close()} does not close them.
 *
 * <p>The first client built in a JVM starts a short-lived daemon thread, {@code
 * hoist-sha256-warmup}, that hashes 1 MiB so that the JIT compiles SHA-256 before the first layer
 * arrives (a first pull in a JVM with default options otherwise hashes its first layers several
 * times slower).
 *
 * <pre>{@code
 * try (Client client = Client.builder().contentStore(store).build()) {
 *   Image image = client.fetch("docker.io/library/alpine:3.20", RemoteContext.builder().build());
 * }
 * }</pre>
 */
public final class Client implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Client.class);

  private final ContentStore contentStore;
  private final ImageStore imageStore;
  private final Snapshotter snapshotter;
  private final Applier applier;
  private volatile boolean closed;

  /** The default resolver this client built for contexts without one; closed with the client. */
  private ProvidedResolver sharedDefault;

  private Client(
      ContentStore contentStore, ImageStore imageStore, Snapshotter snapshotter, Applier applier) {
    this.contentStore = contentStore;
    this.imageStore = imageStore;
    this.snapshotter = snapshotter;
    this.applier = applier;
    // A client is built before the first resolve: time for C2 to have SHA-256 ready (see there).
    Sha256WarmUp.startOnce();
  }

  /**
   * The short path: a client over one store that holds both blobs and images, such as {@code
   * LocalContentStore}.
   *
   * <pre>{@code
   * try (Client client = Client.of(LocalContentStore.open(Path.of("/var/lib/hoist")))) {
   *   Image image = client.fetch("alpine:3.20");
   * }
   * }</pre>
   *
   * @param store the content and image store
   * @param <S> a store that is both
   * @return the client
   */
  public static <S extends ContentStore & ImageStore> Client of(S store) {
    Objects.requireNonNull(store, "store");
    return builder().contentStore(store).imageStore(store).build();
  }

  /** {@return a builder for a client; a content store must be set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the store fetched blobs are written to} */
  public ContentStore contentStore() {
    return contentStore;
  }

  /** {@return the store fetched images are recorded in} */
  public ImageStore imageStore() {
    return imageStore;
  }

  /**
   * Fetches {@code ref} and everything it references that {@code ctx} selects, then records the
   * image (name, root descriptor, {@code ctx.labels()}) in the image store, replacing an image of
   * the same name, and returns it.
   *
   * <p>The handler chain, per descriptor, is containerd's: {@code ctx.baseHandlers()}, then the
   * fetch (verified; "exists" when already stored), then the children read from the store with
   * garbage-collection labels set on the parent and filtered by platform ({@code
   * filterManifestsByPlatform} with {@code allMetadata}, {@code filterPlatforms} otherwise; every
   * manifest and config but no layer with {@code metadataOnly}) and ordered by preference (at most
   * {@code ctx.limitManifests()} of them when positive), then the distribution source label; the
   * whole chain wrapped by {@code ctx.handlerWrapper()} and run by {@link Dispatch} with at most
   * {@code ctx.maxConcurrentDownloads()} in flight.
   *
   * @param ref a Docker reference, normalised first ({@code alpine} → {@code
   *     docker.io/library/alpine:latest})
   * @param ctx the resolver, platforms, concurrency, labels and handlers of this fetch
   * @return the image as recorded in the image store
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} or a manifest is malformed
   * @throws dev.hoist.errors.NotFoundException when the reference or a blob does not exist, or when
   *     an index offers platforms and none is wanted (neither {@code allMetadata} nor {@code
   *     metadataOnly} set): the message names the wanted and the offered platforms, and no image is
   *     recorded
   * @throws dev.hoist.errors.DigestMismatchException when a blob's bytes do not match its digest
   * @throws UnavailableException when the registry cannot be reached
   * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
   */
  public Image fetch(String ref, RemoteContext ctx) {
    return fetch(ref, ctx, ctx.progress());
  }

  /**
   * Fetches {@code ref} with every default: this machine's platform, the default resolver (one per
   * client, shared by its fetches), 8 downloads at a time. See {@link #fetch(String,
   * RemoteContext)}.
   *
   * @param ref a reference, normalised by the resolver ({@code alpine} → {@code
   *     docker.io/library/alpine:latest} for Docker registries)
   * @return the image as recorded in the image store
   */
  public Image fetch(String ref) {
    return fetch(ref, RemoteContext.builder().build());
  }

  /**
   * As {@link #fetch(String, RemoteContext)}, and says what the fetch did: blobs downloaded and
   * already present, bytes, time.
   *
   * @param ref a reference, normalised by the resolver
   * @param ctx the resolver, platforms, concurrency, labels and handlers of this fetch
   * @return the recorded image and the fetch's counts
   */
  public FetchSummary fetchWithSummary(String ref, RemoteContext ctx) {
    Objects.requireNonNull(ctx, "ctx");
    long start = System.nanoTime();
    CountingProgress counting = new CountingProgress(ctx.progress());
    Image image = fetch(ref, ctx, counting);
    return new FetchSummary(
        image,
        counting.downloaded(),
        counting.present(),
        counting.bytes(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Starts {@link #fetch(String, RemoteContext)} on its own daemon thread. Cancelling the future
   * ({@code cancel(true)} or {@code cancel(false)}) cancels the fetch as an interrupt would:
   * requests end, writers close, and partial downloads stay in the store for a resume.
   *
   * @param ref a reference, normalised by the resolver
   * @param ctx the resolver, platforms, concurrency, labels and handlers of this fetch
   * @return the fetch's future; it completes with the recorded image or the fetch's exception
   */
  public CompletableFuture<Image> fetchAsync(String ref, RemoteContext ctx) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(ctx, "ctx");
    return AsyncFetch.start(() -> fetch(ref, ctx));
  }

  private Image fetch(String ref, RemoteContext ctx, ProgressListener listener) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(ctx, "ctx");
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    if (ctx.timeout().isPresent()) {
      return fetchWithin(ref, ctx, listener, ctx.timeout().get());
    }
    Resolver resolver = resolverFor(ctx);
    String name = resolver.normalize(ref);
    ProgressListener progress = SafeProgressListener.of(listener);

    progress.resolving(name);
    Resolved resolved;
    Fetcher fetcher;
    try {
      resolved = resolver.resolve(name);
      fetcher = resolver.fetcher(resolved.name());
    } catch (IOException e) {
      throw new UnavailableException("resolve " + name + ": " + e.getMessage(), e);
    }
    progress.resolved(name, resolved.descriptor());
    log.debug("fetching ref={} digest={}", resolved.name(), resolved.descriptor().digest());

    // Held until the image is recorded: a garbage collection (in any process sharing the store)
    // must not take blobs committed here before an image references them.
    try (CollectionLock.Hold hold = holdOffCollection()) {
      return fetchResolved(resolved, fetcher, ctx, progress);
    } catch (IOException e) {
      if (e instanceof java.io.InterruptedIOException
          || e instanceof java.nio.channels.ClosedByInterruptException) {
        // Interrupted while waiting for a garbage collection to finish: a cancellation.
        java.util.concurrent.CancellationException c =
            new java.util.concurrent.CancellationException("fetch " + name + ": interrupted");
        c.initCause(e);
        throw c;
      }
      throw new UnknownException(
          "fetch " + name + ": garbage collection lock: " + e.getMessage(), e);
    }
  }

  private Image fetchWithin(
      String ref, RemoteContext ctx, ProgressListener listener, Duration deadline) {
    AsyncFetch<Image> running = AsyncFetch.start(() -> fetch(ref, ctx.withoutTimeout(), listener));
    try {
      return running.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      running.cancel(true);
      awaitQuietly(running);
      throw new UnavailableException("fetch " + ref + ": deadline of " + deadline + " exceeded", e);
    } catch (InterruptedException e) {
      running.cancel(true);
      awaitQuietly(running);
      Thread.currentThread().interrupt();
      throw new CancellationException("fetch " + ref + ": interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new UnknownException("fetch " + ref + ": " + e.getCause(), e.getCause());
    }
  }

  /** Waits for a cancelled fetch's thread to finish its cleanup, keeping an interrupt for later. */
  private static void awaitQuietly(AsyncFetch<?> running) {
    boolean interrupted = false;
    while (true) {
      try {
        running.awaitEnd();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isRegistryName(String name) {
    try {
      dev.hoist.reference.Reference.parse(name);
      return true;
    } catch (dev.hoist.errors.InvalidArgumentException e) {
      return false;
    }
  }

  private CollectionLock.Hold holdOffCollection() throws IOException {
    return contentStore instanceof CollectionLock
        ? ((CollectionLock) contentStore).shared()
        : () -> {};
  }

  private Image fetchResolved(
      Resolved resolved, Fetcher fetcher, RemoteContext ctx, ProgressListener progress) {
    Handler handler = ctx.handlerWrapper().apply(chain(resolved.name(), fetcher, ctx, progress));
    if (handler == null) {
      throw new IllegalStateException("handlerWrapper returned null");
    }
    Executor injected = ctx.executor().orElse(null);
    ExecutorService pool = injected == null ? FetchPool.create(ctx.maxConcurrentDownloads()) : null;
    try {
      Dispatch.run(
          handler,
          injected != null ? injected : pool,
          ctx.maxConcurrentDownloads(),
          List.of(resolved.descriptor()),
          progress::waiting);
    } finally {
      if (pool != null) {
        // Dispatch.run returns only when no task is left, so this ends idle threads at once.
        FetchPool.shutdown(pool);
      }
    }
    return record(new Image(resolved.name(), resolved.descriptor(), ctx.labels(), null, null));
  }

  private Handler chain(
      String name, Fetcher fetcher, RemoteContext ctx, ProgressListener progress) {
    Handler children =
        Handlers.children(contentStore, ctx.maxManifestBytes())
            .setChildrenMappedLabels(contentStore, ctx.childLabelMap());
    // As ctr --metadata-only: all metadata, with a matcher that matches nothing, so every
    // manifest keeps only its config.
    MatchComparer matcher = ctx.metadataOnly() ? Platforms.any() : ctx.platformMatcher();
    if (ctx.allMetadata() || ctx.metadataOnly()) {
      children = children.filterManifestsByPlatform(matcher);
    } else {
      children =
          RequireMatchingManifest.wrap(children, matcher, wanted(ctx)).filterPlatforms(matcher);
    }
    if (ctx.metadataOnly()) {
      children = children.filterChildren(d -> !MediaTypes.isLayer(d.mediaType()));
    }
    // Limit 0 by default, as containerd's Fetch: order by preference, keep every match.
    children = children.limitManifests(matcher, ctx.limitManifests());

    // A name in a resolver's own syntax (not host/repository) has no distribution source.
    boolean registry = isRegistryName(name);
    List<Handler> handlers = new ArrayList<>(ctx.baseHandlers());
    SourceLabelling labelling = registry ? new SourceLabelling(contentStore, name) : null;
    FetchHandler.Builder fetch =
        FetchHandler.builder(contentStore, fetcher)
            .progress(progress)
            .maxManifestBytes(ctx.maxManifestBytes());
    handlers.add((labelling == null ? fetch : labelling.committing(fetch)).build());
    handlers.add(children);
    if (labelling != null) {
      handlers.add(labelling.handler());
    }
    return Handlers.all(handlers);
  }

  /**
   * Pulls {@code ref} as containerd's {@code client.Pull}: fetches the index, the one manifest
   * {@code ctx}'s platform matcher prefers (limit 1; containerd's rule, what this host can run, is
   * {@code platformMatcher(Platforms.defaultMatcher())}, which {@code hoist pull} sets) and its
   * config, checks the config, then unpacks the layers into the snapshotter, fetching only layers
   * whose chain ID is not committed yet (each download overlapping the applies below it), and
   * records the image. Each layer blob gets the label {@code containerd.io/uncompressed}, the
   * config {@code containerd.io/gc.ref.snapshot.<snapshotter>} naming the top chain ID.
   *
   * @param ref a Docker reference, normalised first
   * @param ctx the resolver, platforms, limits and listeners
   * @return the recorded image and what was unpacked
   * @throws FailedPreconditionException when the client has no snapshotter or applier
   * @throws dev.hoist.errors.InvalidArgumentException when the config fails a check (layer and
   *     DiffID counts, {@code rootfs.type}, history) or a layer is malformed
   * @throws dev.hoist.errors.DigestMismatchException when a layer's DiffID differs from the
   *     config's
   * @throws dev.hoist.errors.NotFoundException when the reference, a blob or the platform is
   *     missing
   * @throws UnavailableException when the registry cannot be reached
   * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
   */
  public UnpackedImage pull(String ref, RemoteContext ctx) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(ctx, "ctx");
    checkUnpack("pull");
    String name = DockerReferences.normalize(ref).toString();
    // As fetch: a garbage collection must not take blobs committed here before the image is
    // recorded.
    try (CollectionLock.Hold hold = holdOffCollection()) {
      Puller.Pulled pulled =
          new Puller(contentStore, snapshotter, applier).pull(name, ctx, resolverFor(ctx));
      Image image = record(new Image(pulled.name(), pulled.root(), ctx.labels(), null, null));
      UnpackPlan plan = pulled.plan();
      return new UnpackedImage(
          image,
          plan.platform(),
          plan.config(),
          plan.top(),
          pulled.result().applied(),
          pulled.result().reused());
    } catch (IOException e) {
      throw new UnknownException("pull " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Unpacks an image already in the content store (containerd's {@code Image.Unpack}): the manifest
   * {@code platform} prefers, each layer applied unless its chain ID is committed.
   *
   * @param image an image whose manifest, config and needed layers are in the content store
   * @param platform chooses the manifest, e.g. {@code Platforms.defaultMatcher()}
   * @param progress receives unpacking events
   * @return what was unpacked
   * @throws FailedPreconditionException when the client has no snapshotter or applier
   * @throws dev.hoist.errors.NotFoundException when a manifest, config or needed layer is missing
   * @throws dev.hoist.errors.DigestMismatchException when a layer's DiffID differs from the
   *     config's
   */
  public UnpackedImage unpack(Image image, MatchComparer platform, ProgressListener progress) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(platform, "platform");
    checkUnpack("unpack");
    UnpackPlan plan =
        UnpackPlan.read(
            contentStore,
            image.name(),
            image.target(),
            platform,
            OciJson.DEFAULT_MAX_MANIFEST_BYTES);
    ProgressListener listener =
        SafeProgressListener.of(progress == null ? ProgressListener.NONE : progress);
    Unpacker.Result result =
        new Unpacker(contentStore, snapshotter, applier, listener)
            .unpack(plan, new StoredLayers(contentStore, image.name(), plan.layers()));
    return new UnpackedImage(
        image, plan.platform(), plan.config(), plan.top(), result.applied(), result.reused());
  }

  /**
   * Reads and checks what an unpack of {@code image} would apply, without applying anything or
   * needing a snapshotter: the manifest {@code platform} prefers, its config's DiffIDs and the
   * chain IDs.
   *
   * @param image an image whose manifest and config are in the content store
   * @param platform chooses the manifest
   * @return the layers, DiffIDs and chain IDs
   * @throws dev.hoist.errors.NotFoundException when the manifest or config is missing
   * @throws dev.hoist.errors.InvalidArgumentException when the config does not match the manifest
   * @throws dev.hoist.errors.NotImplementedException when a layer cannot be unpacked
   */
  public ImageLayers layers(Image image, MatchComparer platform) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(platform, "platform");
    UnpackPlan plan =
        UnpackPlan.read(
            contentStore,
            image.name(),
            image.target(),
            platform,
            OciJson.DEFAULT_MAX_MANIFEST_BYTES);
    return new ImageLayers(
        plan.config(), plan.platform(), plan.layers(), plan.diffIds(), plan.chainIds());
  }

  /** {@return the snapshotter set on the builder; empty when none was} */
  public java.util.Optional<Snapshotter> snapshotter() {
    return java.util.Optional.ofNullable(snapshotter);
  }

  private void checkUnpack(String operation) {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    if (snapshotter == null || applier == null) {
      throw new FailedPreconditionException(
          operation
              + " needs a snapshotter and an applier: add the artifact dev.hoist:hoist-unpack and set "
              + "Client.builder().snapshotter(LocalSnapshotter.open(dir)).applier(TarLayerApplier.create())");
    }
  }

  private static String wanted(RemoteContext ctx) {
    if (ctx.platforms().isEmpty()) {
      return ctx.platformMatcher().toString();
    }
    List<String> names = new ArrayList<>();
    ctx.platforms().forEach(p -> names.add(Platforms.format(p)));
    return String.join(", ", names);
  }

  private Image record(Image image) {
    try {
      return imageStore.put(image);
    } catch (HoistException e) {
      throw e;
    } catch (IOException e) {
      throw new UnknownException("record image " + image.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The context's resolver; for a context without one, the default resolver this client builds once
   * and shares, so that its fetches share one connection pool and token cache (containerd's client
   * keeps one resolver too) instead of a new resolver, and new tokens, per fetch.
   */
  private Resolver resolverFor(RemoteContext ctx) {
    ResolverProvider provider = ctx.defaultResolverProvider();
    if (provider == null) {
      return ctx.resolver();
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("client is closed");
      }
      if (sharedDefault == null) {
        sharedDefault = new ProvidedResolver(provider);
      }
      return sharedDefault;
    }
  }

  /**
   * Marks the client closed, so that later fetches fail, and closes the default resolver it built
   * (its connections and threads). Resolvers set on a context and the stores belong to the caller
   * and stay open.
   */
  @Override
  public void close() {
    ProvidedResolver shared;
    synchronized (this) {
      closed = true;
      shared = sharedDefault;
      sharedDefault = null;
    }
    if (shared != null) {
      shared.close();
    }
  }

  /** Builds a {@link Client}. Not thread-safe. */
  public static final class Builder {
    private ContentStore contentStore;
    private ImageStore imageStore;
    private Snapshotter snapshotter;
    private Applier applier;

    private Builder() {}

    /**
     * Where {@link #pull} and {@link #unpack} make snapshots (e.g. {@code hoist-unpack}'s {@code
     * LocalSnapshotter}); optional for fetches.
     *
     * @param snapshotter the snapshotter
     * @return this builder
     */
    public Builder snapshotter(Snapshotter snapshotter) {
      this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
      return this;
    }

    /**
     * What applies layers for {@link #pull} and {@link #unpack} (e.g. {@code hoist-unpack}'s {@code
     * TarLayerApplier}); optional for fetches.
     *
     * @param applier the applier
     * @return this builder
     */
    public Builder applier(Applier applier) {
      this.applier = Objects.requireNonNull(applier, "applier");
      return this;
    }

    /**
     * The store blobs are written to (required).
     *
     * @param store the content store
     * @return this builder
     */
    public Builder contentStore(ContentStore store) {
      this.contentStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Where fetched images are recorded. Default: the content store when it is also an {@link
     * ImageStore}, else a new {@link InMemoryImageStore}.
     *
     * @param store the image store
     * @return this builder
     */
    public Builder imageStore(ImageStore store) {
      this.imageStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     * @throws IllegalStateException when no content store was set
     */
    public Client build() {
      if (contentStore == null) {
        throw new IllegalStateException("contentStore is required");
      }
      ImageStore images = imageStore;
      if (images == null) {
        images =
            contentStore instanceof ImageStore
                ? (ImageStore) contentStore
                : new InMemoryImageStore();
      }
      return new Client(contentStore, images, snapshotter, applier);
    }
  }
}
