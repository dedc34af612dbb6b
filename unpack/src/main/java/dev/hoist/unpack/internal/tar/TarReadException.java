package dev.hoist.unpack.internal.tar;

import java.io.IOException;

/**
 * A failure reading an entry's data from the tar stream, as opposed to writing its file: the
 * applier tells the two apart to classify the failure (malformed input or the caller's stream
 * against the local filesystem).
 */
public final class TarReadException extends IOException {

  private static final long serialVersionUID = 1L;

  TarReadException(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
