package dev.hoist.bench;

import dev.hoist.unpack.ApplyOptions;
import dev.hoist.unpack.ApplyResult;
import dev.hoist.unpack.SkipCounts;
import dev.hoist.unpack.TarApplier;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies layer blobs in order onto one directory with {@link TarApplier}, as {@code bench/unpack}
 * times it against GNU {@code tar -xzf}: {@code ApplyLayers DIR LAYER...}. Prints one line per
 * layer (DiffID, entries, milliseconds) and the total.
 */
public final class ApplyLayers {

  private ApplyLayers() {}

  /**
   * Runs the applier.
   *
   * @param args the target directory, then the layer files in order
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ApplyLayers DIR LAYER...");
      System.exit(2);
    }
    Path root = Files.createDirectories(Path.of(args[0]));
    TarApplier applier = TarApplier.create(ApplyOptions.defaults());
    long start = System.nanoTime();
    SkipCounts skipped = SkipCounts.NONE;
    for (int i = 1; i < args.length; i++) {
      long t0 = System.nanoTime();
      ApplyResult r;
      try (InputStream in = Files.newInputStream(Path.of(args[i]))) {
        r = applier.apply(in, root);
      }
      skipped = skipped.plus(r.skipped());
      System.out.printf("layer %d %s entries=%d bytes=%d %d ms%n", i, r.diffId(), r.entries(), r.uncompressedSize(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    System.out.printf("total %d ms, %s%n", (System.nanoTime() - start) / 1_000_000, skipped.summary());
  }
}
