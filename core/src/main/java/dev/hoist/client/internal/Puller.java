package dev.hoist.client.internal;

import dev.hoist.client.ProgressListener;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentStore;
import dev.hoist.diff.Applier;
import dev.hoist.errors.UnavailableException;
import dev.hoist.images.Dispatch;
import dev.hoist.images.Handler;
import dev.hoist.images.Handlers;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.remotes.FetchHandler;
import dev.hoist.remotes.Fetcher;
import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.Resolver;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * containerd's {@code client.Pull} for one platform: resolve, fetch the index, the best-matching
 * manifest (limit 1) and its config, then unpack, fetching only the layers whose chain ID is not
 * committed yet, each download overlapping the applies of the layers below it.
 */
public final class Puller {

  private final ContentStore store;
  private final Snapshotter snapshotter;
  private final Applier applier;

  /**
   * A puller over the given parts.
   *
   * @param store the content store
   * @param snapshotter where layers are unpacked
   * @param applier what applies them
   */
  public Puller(ContentStore store, Snapshotter snapshotter, Applier applier) {
    this.store = store;
    this.snapshotter = snapshotter;
    this.applier = applier;
  }

  /** What {@link #pull} fetched and unpacked. */
  public record Pulled(String name, Descriptor root, UnpackPlan plan, Unpacker.Result result) {}

  /**
   * Pulls {@code name} (normalised already) with {@code resolver} and {@code ctx}'s platform
   * matcher, handlers and limits.
   *
   * @throws UnavailableException when resolving fails
   */
  public Pulled pull(String name, RemoteContext ctx, Resolver resolver) {
    ProgressListener progress = SafeProgressListener.of(ctx.progress());
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
    MatchComparer matcher = ctx.platformMatcher();

    SourceLabelling labelling = new SourceLabelling(store, resolved.name());
    Handler fetch =
        labelling
            .committing(
                FetchHandler.builder(store, fetcher)
                    .progress(progress)
                    .maxManifestBytes(ctx.maxManifestBytes()))
            .build();
    Handler sourceLabel = labelling.handler();
    Handler children =
        Handlers.children(store, ctx.maxManifestBytes())
            .setChildrenMappedLabels(store, ctx.childLabelMap())
            .filterPlatforms(matcher)
            // Layers wait until the chain IDs say which are needed.
            .filterChildren(d -> !MediaTypes.isLayer(d.mediaType()))
            .limitManifests(matcher, 1);
    Handler metadata = ctx.handlerWrapper().apply(chain(ctx, fetch, children, sourceLabel));
    Handler layerFetch = ctx.handlerWrapper().apply(chain(ctx, fetch, null, sourceLabel));

    Executor injected = ctx.executor().orElse(null);
    ExecutorService pool = injected == null ? FetchPool.create(ctx.maxConcurrentDownloads()) : null;
    Executor executor = injected != null ? injected : pool;
    FetchedLayers layers = null;
    try {
      Dispatch.run(
          metadata,
          executor,
          ctx.maxConcurrentDownloads(),
          List.of(resolved.descriptor()),
          progress::waiting);
      UnpackPlan plan =
          UnpackPlan.read(
              store, resolved.name(), resolved.descriptor(), matcher, ctx.maxManifestBytes());
      layers = new FetchedLayers(plan.layers(), layerFetch, executor, ctx.maxConcurrentDownloads());
      Unpacker.Result result =
          new Unpacker(store, snapshotter, applier, progress).unpack(plan, layers);
      return new Pulled(resolved.name(), resolved.descriptor(), plan, result);
    } finally {
      if (layers != null) {
        layers.cancel();
      }
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static Handler chain(
      RemoteContext ctx, Handler fetch, Handler children, Handler sourceLabel) {
    List<Handler> handlers = new ArrayList<>(ctx.baseHandlers());
    handlers.add(fetch);
    if (children != null) {
      handlers.add(children);
    }
    handlers.add(sourceLabel);
    return Handlers.all(handlers);
  }
}
