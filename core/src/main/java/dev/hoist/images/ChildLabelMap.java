package dev.hoist.images;

import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.util.List;

/**
 * Chooses the label keys under which a parent blob references one child, as the {@code labelMap}
 * function of containerd's {@code SetChildrenMappedLabels}. A key ending in {@code .} gets a
 * per-key counter appended ({@code ….l.0}, {@code ….l.1}); a repeated key without the dot gets the
 * counter from its second use ({@code …config}, {@code …config1}).
 */
@FunctionalInterface
public interface ChildLabelMap {

  /** Prefix of containerd's content garbage-collection references. */
  String GC_REF_CONTENT = "containerd.io/gc.ref.content.";

  /**
   * Chooses the keys of the parent's labels that reference {@code child}.
   *
   * @param child one child of the parent blob
   * @return the label keys for {@code child}; empty to leave it unreferenced. Never null
   */
  List<String> labelKeys(Descriptor child);

  /**
   * containerd's {@code ChildGCLabels}: config, {@code m.}, {@code l.}, or a bare counter.
   *
   * @return the map that references every child
   */
  static ChildLabelMap gcLabels() {
    return child -> {
      String mt = child.mediaType();
      if (MediaTypes.isConfig(mt)) {
        return List.of(GC_REF_CONTENT + "config");
      }
      if (MediaTypes.isManifest(mt)) {
        return List.of(GC_REF_CONTENT + "m.");
      }
      if (MediaTypes.isLayer(mt)) {
        return List.of(GC_REF_CONTENT + "l.");
      }
      return List.of(GC_REF_CONTENT);
    };
  }

  /**
   * containerd's {@code ChildGCLabelsFilterLayers}: as {@link #gcLabels()} but layers are not
   * referenced, for stores that keep only an image's metadata.
   *
   * @return the map that references every child except layers
   */
  static ChildLabelMap gcLabelsFilterLayers() {
    ChildLabelMap all = gcLabels();
    return child -> MediaTypes.isLayer(child.mediaType()) ? List.of() : all.labelKeys(child);
  }
}
