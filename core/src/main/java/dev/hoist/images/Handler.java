package dev.hoist.images;

import dev.hoist.content.ContentStore;
import dev.hoist.images.internal.FilterChildrenHandler;
import dev.hoist.images.internal.FilterManifestsByPlatformHandler;
import dev.hoist.images.internal.FilterPlatformsHandler;
import dev.hoist.images.internal.LimitManifestsHandler;
import dev.hoist.images.internal.SetChildrenLabelsHandler;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Handles one descriptor and returns the children to visit next (never null), as containerd's
 * {@code images.Handler}. A handler may throw {@link HandlerSignal#SKIP_CHILDREN} or {@link
 * HandlerSignal#STOP} to steer the walk.
 *
 * <p>The {@code default} methods are decorators, read in the order they apply to the children:
 * {@code Handlers.children(store).setChildrenLabels(store).filterPlatforms(m).limitManifests(m,
 * 1)}. Each returns a new handler and leaves this one unchanged. Decorated handlers are as
 * thread-safe as the handler they wrap.
 *
 * <p>Handlers run concurrently: {@link Dispatch#run} (and so {@code Client.fetch}, with the base
 * handlers of its {@code RemoteContext}) calls one handler from several threads at once, each call
 * on a different descriptor, so an implementation must be thread-safe.
 */
@FunctionalInterface
public interface Handler {

  /**
   * Handles {@code desc}.
   *
   * @param desc the descriptor being visited
   * @return the children to visit next, never null
   * @throws HandlerSignal to skip the children or stop later handlers
   * @throws IOException when reading or fetching the content fails; it fails the walk
   */
  List<Descriptor> handle(Descriptor desc) throws IOException;

  /**
   * Keeps the children that carry no platform or a platform {@code matcher} accepts, as
   * containerd's {@code images.FilterPlatforms}.
   *
   * @param matcher the platforms kept
   * @return the filtering handler
   */
  default Handler filterPlatforms(PlatformMatcher matcher) {
    return new FilterPlatformsHandler(this, Objects.requireNonNull(matcher, "matcher"));
  }

  /**
   * The "all metadata" filter, as containerd's {@code FilterManifestByPlatformHandler}: when {@code
   * desc} is a manifest whose descriptor carries a platform {@code matcher} rejects, only its
   * config child is kept (so the configs of every platform are fetched, but the layers only of
   * matching ones). Other descriptors keep all their children.
   *
   * @param matcher the platforms whose manifests keep their layers
   * @return the filtering handler
   */
  default Handler filterManifestsByPlatform(PlatformMatcher matcher) {
    return new FilterManifestsByPlatformHandler(this, Objects.requireNonNull(matcher, "matcher"));
  }

  /**
   * For an index, orders its children by {@code comparer}'s preference (stable; children without a
   * platform last) and keeps the first {@code limit}, as containerd's {@code
   * images.LimitManifests}. Other descriptors are passed through. {@code limit <= 0} means no limit
   * (the children are still ordered).
   *
   * @param comparer ranks the children's platforms
   * @param limit the most children kept; {@code <= 0} for all
   * @return the ordering and limiting handler
   * @throws dev.hoist.errors.NotFoundException from {@link #handle} when {@code limit > 0} and no
   *     child of the index is left: no manifest matches the wanted platform
   */
  default Handler limitManifests(MatchComparer comparer, int limit) {
    return new LimitManifestsHandler(this, Objects.requireNonNull(comparer, "comparer"), limit);
  }

  /**
   * Labels the handled blob in {@code store} with containerd's garbage-collection references to its
   * children ({@code containerd.io/gc.ref.content.config}, {@code ….m.<i>}, {@code ….l.<i>}, {@code
   * ….<i>}), as containerd's {@code images.SetChildrenLabels}. Apply it before filtering so that
   * every child is referenced.
   *
   * @param store where the handled blob's labels are set
   * @return the labelling handler
   */
  default Handler setChildrenLabels(ContentStore store) {
    return setChildrenMappedLabels(store, ChildLabelMap.gcLabels());
  }

  /**
   * As {@link #setChildrenLabels}, with the label keys for each child chosen by {@code labelMap}
   * (containerd's {@code SetChildrenMappedLabels}).
   *
   * @param store where the handled blob's labels are set
   * @param labelMap the label keys for each child
   * @return the labelling handler
   */
  default Handler setChildrenMappedLabels(ContentStore store, ChildLabelMap labelMap) {
    return new SetChildrenLabelsHandler(
        this, Objects.requireNonNull(store, "store"), Objects.requireNonNull(labelMap, "labelMap"));
  }

  /**
   * Keeps the children {@code keep} accepts. For example {@code filterChildren(d ->
   * !MediaTypes.isLayer(d.mediaType()))} walks only the metadata of an image.
   *
   * @param keep accepts the children to keep
   * @return the filtering handler
   */
  default Handler filterChildren(Predicate<? super Descriptor> keep) {
    return new FilterChildrenHandler(this, Objects.requireNonNull(keep, "keep"));
  }
}
