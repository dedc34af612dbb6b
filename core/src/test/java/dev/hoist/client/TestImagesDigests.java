package dev.hoist.client;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import java.util.ArrayList;
import java.util.List;

/** Digests of descriptors, for assertions. */
final class TestImagesDigests {
  private TestImagesDigests() {}

  static List<Digest> of(
      Descriptor root, Descriptor manifest, Descriptor config, List<Descriptor> layers) {
    List<Digest> all = new ArrayList<>(List.of(root.digest(), manifest.digest(), config.digest()));
    layers.forEach(l -> all.add(l.digest()));
    return all;
  }
}
