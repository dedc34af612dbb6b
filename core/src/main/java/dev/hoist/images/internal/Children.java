package dev.hoist.images.internal;

import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;

/** Calls a wrapped handler and refuses a null result, so decorators never see one. */
final class Children {

  private Children() {}

  static List<Descriptor> of(Handler inner, Descriptor desc) throws IOException {
    List<Descriptor> children = inner.handle(desc);
    if (children == null) {
      throw new IllegalStateException(
          "handler " + inner.getClass().getName() + " returned null children for " + desc.digest());
    }
    return children;
  }
}
