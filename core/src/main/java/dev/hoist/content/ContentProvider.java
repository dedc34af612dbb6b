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
   * @param desc names the blob by its digest
   * @return a read-only channel over the blob; the caller closes it
   * @throws dev.hoist.errors.NotFoundException when the blob is not in the store
   * @throws IOException when the store cannot be read
   */
  SeekableByteChannel open(Descriptor desc) throws IOException;

  /**
   * Opens committed content as a stream.
   *
   * @param desc names the blob by its digest
   * @return a stream from the blob's first byte; the caller closes it
   * @throws dev.hoist.errors.NotFoundException when the blob is not in the store
   * @throws IOException when the store cannot be read
   */
  default InputStream openStream(Descriptor desc) throws IOException {
    return Channels.newInputStream(open(desc));
  }
}
