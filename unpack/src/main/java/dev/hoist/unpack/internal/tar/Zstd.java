package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.NotImplementedException;
import java.io.InputStream;

/** zstd decompression (the library is chosen by measurement; see bench/RESULTS.md). */
final class Zstd {

  private Zstd() {}

  static InputStream open(InputStream in, int bufferSize) {
    throw new NotImplementedException("layer: zstd is not supported yet");
  }
}
