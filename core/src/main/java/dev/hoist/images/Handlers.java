package dev.hoist.images;

import dev.hoist.content.ContentProvider;
import dev.hoist.images.internal.ChildrenHandler;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sources and combinators of {@link Handler}s, as containerd's {@code images.Handlers} and {@code
 * images.ChildrenHandler}. Every handler returned is thread-safe when the handlers and providers it
 * is built from are.
 */
public final class Handlers {

  private Handlers() {}

  /**
   * Runs {@code handlers} in order on each descriptor and returns all their children, in order. A
   * handler throwing {@link HandlerSignal#STOP} ends the sequence for that descriptor, keeping the
   * children returned so far; {@link HandlerSignal#SKIP_CHILDREN} ends it and is passed on, so that
   * the walk visits no children of the descriptor. Any other exception is passed on.
   *
   * @param handlers the handlers, in the order they run on one descriptor
   * @return a handler returning the concatenated children of {@code handlers}
   */
  public static Handler all(Handler... handlers) {
    return all(List.of(handlers));
  }

  /**
   * As {@link #all(Handler...)}, over a list.
   *
   * @param handlers the handlers, in the order they run on one descriptor; copied
   * @return a handler returning the concatenated children of {@code handlers}
   */
  public static Handler all(List<? extends Handler> handlers) {
    List<Handler> copy = List.copyOf(handlers);
    return desc -> {
      List<Descriptor> children = new ArrayList<>();
      for (Handler handler : copy) {
        List<Descriptor> found;
        try {
          found = handler.handle(desc);
        } catch (HandlerSignal signal) {
          if (signal == HandlerSignal.STOP) {
            break;
          }
          throw signal;
        }
        if (found != null) {
          children.addAll(found);
        }
      }
      return children;
    };
  }

  /**
   * Reads the descriptor's content from {@code provider} and returns its children: an index's
   * manifests, a manifest's config and layers. Configs, layers and unknown media types have none.
   * Manifests and indexes larger than {@link OciJson#DEFAULT_MAX_MANIFEST_BYTES} are refused.
   *
   * @param provider where the manifests and indexes are read
   * @return a handler returning each descriptor's children
   * @see #children(ContentProvider, long)
   */
  public static Handler children(ContentProvider provider) {
    return children(provider, OciJson.DEFAULT_MAX_MANIFEST_BYTES);
  }

  /**
   * As {@link #children(ContentProvider)}, refusing manifests and indexes larger than {@code
   * maxManifestBytes}. The handler throws {@link dev.hoist.errors.InvalidArgumentException} naming
   * the digest when the document is too large, is not JSON, or its own {@code mediaType}
   * contradicts the descriptor's, and {@link dev.hoist.errors.NotFoundException} when the content
   * is not in the provider.
   *
   * @param provider where the manifests and indexes are read
   * @param maxManifestBytes the largest manifest or index read, positive
   * @return a handler returning each descriptor's children
   * @throws IllegalArgumentException when {@code maxManifestBytes <= 0}
   */
  public static Handler children(ContentProvider provider, long maxManifestBytes) {
    Objects.requireNonNull(provider, "provider");
    if (maxManifestBytes <= 0) {
      throw new IllegalArgumentException("maxManifestBytes must be positive: " + maxManifestBytes);
    }
    return new ChildrenHandler(provider, maxManifestBytes);
  }

  /**
   * A handler that keeps the children of {@code handler} except layers: the image's metadata.
   *
   * @param handler the handler whose children are filtered
   * @return {@code handler} without layer children
   */
  public static Handler skipLayers(Handler handler) {
    return handler.filterChildren(d -> !MediaTypes.isLayer(d.mediaType()));
  }
}
