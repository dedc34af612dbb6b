package dev.hoist.gc;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.ChildLabelMap;
import dev.hoist.images.Handler;
import dev.hoist.images.Handlers;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mark phase: every blob reachable from some roots. A blob reaches the digests in its {@code
 * containerd.io/gc.ref.content.*} labels (containerd's rule) and, when it is an index or manifest
 * known by its descriptor, the children its JSON lists. The second way is Hoist's safety net:
 * labels are not fsynced, so after an operating-system crash a manifest may have lost them, and a
 * collector following labels alone would then take its layers.
 */
public final class Reachability {

  /** Label prefix of snapshot references: {@code containerd.io/gc.ref.snapshot.<snapshotter>}. */
  public static final String GC_REF_SNAPSHOT = "containerd.io/gc.ref.snapshot.";

  private Reachability() {}

  /**
   * Marks from {@code roots}. Missing blobs are marked (they are referenced) but have no references
   * of their own; a malformed manifest contributes its labels only.
   *
   * @param store where the blobs and their labels are read
   * @param roots the images' target descriptors
   * @return the marks
   * @throws IOException when the store fails
   */
  public static GcMarks mark(ContentStore store, Collection<Descriptor> roots) throws IOException {
    Objects.requireNonNull(store, "store");
    Set<Digest> marked = new HashSet<>();
    Set<Digest> parsed = new HashSet<>(); // manifests and indexes whose children were listed
    Map<String, Set<String>> snapshots = new HashMap<>();
    Deque<Object> work = new ArrayDeque<>(roots); // Descriptor (type known) or Digest (label)
    Handler children = Handlers.children(store);
    while (!work.isEmpty()) {
      Object next = work.pop();
      Descriptor desc = next instanceof Descriptor ? (Descriptor) next : null;
      Digest digest = desc != null ? desc.digest() : (Digest) next;
      boolean first = marked.add(digest);
      // A digest first reached through a label has no known media type; when its descriptor
      // arrives later (from a parent's JSON) its children are still listed.
      boolean parse =
          desc != null && MediaTypes.isManifestOrIndex(desc.mediaType()) && parsed.add(digest);
      if (!first && !parse) {
        continue;
      }
      ContentInfo info;
      try {
        info = store.info(digest);
      } catch (NotFoundException e) {
        continue;
      }
      if (first) {
        follow(info.labels(), work, snapshots);
      }
      if (parse) {
        List<Descriptor> found;
        try {
          found = children.handle(desc);
        } catch (HoistException e) {
          continue; // vanished or malformed: its labels were followed
        }
        found.forEach(work::push);
      }
    }
    return new GcMarks(marked, snapshots);
  }

  /** Queues the digests of {@code labels}' content references; records their snapshot keys. */
  private static void follow(
      Map<String, String> labels, Deque<Object> work, Map<String, Set<String>> snapshots) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String key = label.getKey();
      if (key.startsWith(ChildLabelMap.GC_REF_CONTENT) && Digest.isValid(label.getValue())) {
        work.push(Digest.parse(label.getValue()));
      } else if (key.startsWith(GC_REF_SNAPSHOT) && key.length() > GC_REF_SNAPSHOT.length()) {
        snapshots
            .computeIfAbsent(key.substring(GC_REF_SNAPSHOT.length()), k -> new TreeSet<>())
            .add(label.getValue());
      }
    }
  }

  /**
   * The blobs reachable from one root (present or not).
   *
   * @param store where the blobs and their labels are read
   * @param root an image's target descriptor
   * @return the reachable digests, the root's included
   * @throws IOException when the store fails
   */
  public static Set<Digest> from(ContentStore store, Descriptor root) throws IOException {
    return mark(store, List.of(root)).content();
  }
}
