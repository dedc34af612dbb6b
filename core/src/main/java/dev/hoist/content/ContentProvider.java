package dev.hoist.content;

import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;

/** Reads committed content. */
@FunctionalInterface
public interface ContentProvider {

  /**
   * Opens committed content for random access.
   *
   * @throws dev.hoist.errors.NotFoundException when the blob is not in the store
   */
  SeekableByteChannel open(Descriptor desc) throws IOException;

  /** Opens committed content as a stream. */
  default InputStream openStream(Descriptor desc) throws IOException {
    return Channels.newInputStream(open(desc));
  }
}
