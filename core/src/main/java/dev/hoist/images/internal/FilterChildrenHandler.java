package dev.hoist.images.internal;

import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps the children a predicate accepts. */
public final class FilterChildrenHandler implements Handler {

  private final Handler inner;
  private final Predicate<? super Descriptor> keep;

  public FilterChildrenHandler(Handler inner, Predicate<? super Descriptor> keep) {
    this.inner = inner;
    this.keep = keep;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    List<Descriptor> children = Children.of(inner, desc);
    List<Descriptor> kept = new ArrayList<>(children.size());
    for (Descriptor child : children) {
      if (keep.test(child)) {
        kept.add(child);
      }
    }
    return kept;
  }
}
