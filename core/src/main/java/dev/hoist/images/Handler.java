package dev.hoist.images;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;

/**
 * Handles one descriptor and returns the children to visit next (never null), as containerd's
 * {@code images.Handler}. A handler may throw {@link HandlerSignal#SKIP_CHILDREN} or {@link
 * HandlerSignal#STOP} to steer the walk.
 */
@FunctionalInterface
public interface Handler {

  List<Descriptor> handle(Descriptor desc) throws IOException;
}
