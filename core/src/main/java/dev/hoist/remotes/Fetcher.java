package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/** Opens the content a descriptor names. */
@FunctionalInterface
public interface Fetcher {

  /**
   * Opens a stream of the content. The caller closes it; the content is not verified here.
   *
   * @throws dev.hoist.errors.NotFoundException when the remote does not have it
   */
  InputStream fetch(Descriptor desc) throws IOException;
}
