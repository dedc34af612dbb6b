package dev.hoist.bench;

import dev.hoist.testkit.ImageSpec;
import java.util.List;

/**
 * The benchmark's standard images, full size and {@code --quick} size. Each has its own seed so
 * that no two images share a blob (the registry would otherwise deduplicate them).
 */
final class StandardImages {

  static final List<String> NAMES = List.of("big", "huge", "many", "multi");

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  private StandardImages() {}

  /** The spec of image {@code name}; {@code quick} gives a small one for smoke runs. */
  static ImageSpec spec(String name, boolean quick) {
    ImageSpec.Builder b = ImageSpec.builder().platforms("linux/amd64").seed(seed(name));
    switch (name) {
      case "big":
        return b.layers(quick ? 4 : 8, quick ? 8 * MIB : 128 * MIB).build();
      case "huge":
        return b.layers(1, quick ? 64 * MIB : 1024 * MIB).build();
      case "many":
        return b.layers(quick ? 20 : 200, quick ? 16 * KIB : 64 * KIB).build();
      case "multi":
        return b.platforms("linux/amd64", "linux/arm64", "linux/arm/v7")
            .layers(quick ? 2 : 5, quick ? 2 * MIB : 8 * MIB)
            .build();
      default:
        throw new IllegalArgumentException("unknown image \"" + name + "\"; known: " + NAMES);
    }
  }

  private static long seed(String name) {
    return 0x5EED0000L + name.hashCode();
  }
}
