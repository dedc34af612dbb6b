package dev.hoist.content;

import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;

/**
 * Ingest refs for descriptors, as containerd's {@code remotes.MakeRefKey}: {@code <kind>-<digest>},
 * so that a resumed fetch of the same blob finds the same ingest.
 */
public final class IngestRefs {

  private IngestRefs() {}

  /**
   * The ingest ref for {@code desc}.
   *
   * @param desc the blob to be written
   * @return {@code <kind>-<digest>}, the kind from the media type ({@code index}, {@code manifest},
   *     {@code config}, {@code layer}, {@code attestation} or {@code unknown})
   */
  public static String of(Descriptor desc) {
    return kind(desc.mediaType()) + "-" + desc.digest();
  }

  static String kind(String mediaType) {
    if (MediaTypes.isIndex(mediaType)) {
      return "index";
    }
    if (MediaTypes.isManifest(mediaType) || MediaTypes.isSchema1(mediaType)) {
      return "manifest";
    }
    if (MediaTypes.isConfig(mediaType)) {
      return "config";
    }
    if (MediaTypes.isLayer(mediaType)) {
      return "layer";
    }
    if (mediaType != null && mediaType.startsWith("application/vnd.in-toto")) {
      return "attestation";
    }
    return "unknown";
  }
}
