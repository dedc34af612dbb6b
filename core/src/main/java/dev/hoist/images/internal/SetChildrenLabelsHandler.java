package dev.hoist.images.internal;

import dev.hoist.content.ContentStore;
import dev.hoist.images.ChildLabelMap;
import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * containerd's {@code SetChildrenMappedLabels}: after the wrapped handler returns children, the
 * handled blob is labelled with a reference to each child so that garbage collection keeps them.
 */
public final class SetChildrenLabelsHandler implements Handler {

  private final Handler inner;
  private final ContentStore store;
  private final ChildLabelMap labelMap;

  public SetChildrenLabelsHandler(Handler inner, ContentStore store, ChildLabelMap labelMap) {
    this.inner = inner;
    this.store = store;
    this.labelMap = labelMap;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = Children.of(inner, desc);
    Map<String, String> labels = labels(children, labelMap);
    if (!labels.isEmpty()) {
      store.update(desc.digest(), labels);
    }
    return children;
  }

  /** The labels {@code labelMap} gives {@code children}, numbered as containerd numbers them. */
  public static Map<String, String> labels(List<Descriptor> children, ChildLabelMap labelMap) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Integer> used = new HashMap<>();
    for (Descriptor child : children) {
      List<String> keys = labelMap.labelKeys(child);
      if (keys == null) {
        continue;
      }
      for (String key : keys) {
        int index = used.merge(key, 1, Integer::sum) - 1;
        String numbered = index > 0 || key.endsWith(".") ? key + index : key;
        labels.put(numbered, child.digest().toString());
      }
    }
    return labels;
  }
}
