package dev.hoist.remotes;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the content a descriptor names.
 *
 * <p>Implementations must be safe for concurrent use: one fetch calls its fetcher from several
 * threads at once, one blob per call.
 */
@FunctionalInterface
public interface Fetcher {

  /**
   * Opens a stream of the content. The caller closes it; the content is not verified here.
   *
   * @param desc the blob, manifest or index to open
   * @return its content from byte 0
   * @throws dev.hoist.errors.NotFoundException when the remote does not have it
   * @throws IOException when the remote cannot be read
   */
  InputStream fetch(Descriptor desc) throws IOException;
}
