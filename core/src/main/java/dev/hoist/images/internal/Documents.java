package dev.hoist.images.internal;

import dev.hoist.content.Blobs;
import dev.hoist.content.ContentProvider;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.IOException;

/** Reads manifests, indexes and configs from a provider, bounded and checked. */
public final class Documents {

  private Documents() {}

  /** Reads a manifest; {@link InvalidArgumentException} naming the digest when it is bad. */
  public static Manifest manifest(ContentProvider provider, Descriptor desc, long maxBytes)
      throws IOException {
    String source = "manifest " + desc.digest();
    byte[] json = read(provider, desc, maxBytes, source);
    checkMediaType(json, desc, source);
    Manifest manifest = OciJson.readManifest(json, source);
    if (manifest.config() == null) {
      throw new InvalidArgumentException(source + ": missing config");
    }
    return manifest;
  }

  /** Reads an index; {@link InvalidArgumentException} naming the digest when it is bad. */
  public static Index index(ContentProvider provider, Descriptor desc, long maxBytes)
      throws IOException {
    String source = "index " + desc.digest();
    byte[] json = read(provider, desc, maxBytes, source);
    checkMediaType(json, desc, source);
    return OciJson.readIndex(json, source);
  }

  /** Reads an image configuration. */
  public static ImageConfig config(ContentProvider provider, Descriptor desc, long maxBytes)
      throws IOException {
    String source = "config " + desc.digest();
    return OciJson.readConfig(read(provider, desc, maxBytes, source), source);
  }

  private static byte[] read(
      ContentProvider provider, Descriptor desc, long maxBytes, String source) throws IOException {
    if (desc.size() > maxBytes) {
      // Checked before reading so that an oversized document is never buffered.
      throw new InvalidArgumentException(
          source + ": size " + desc.size() + " exceeds the limit of " + maxBytes + " bytes");
    }
    // Blobs.readAll buffers into one array, so the cap cannot pass the JVM's array limit.
    return Blobs.readAll(provider, desc, Math.min(maxBytes, Integer.MAX_VALUE - 8));
  }

  /**
   * As containerd's {@code validateMediaType}: a document whose own media type says it is the other
   * kind (a manifest served as an index, or the reverse) is refused rather than misread.
   */
  private static void checkMediaType(byte[] json, Descriptor desc, String source) {
    String inner = OciJson.mediaTypeOf(json, source);
    if (inner == null || inner.equals(desc.mediaType()) || MediaTypes.isSchema1(inner)) {
      return;
    }
    boolean wantIndex = MediaTypes.isIndex(desc.mediaType());
    if (wantIndex ? !MediaTypes.isIndex(inner) : !MediaTypes.isManifest(inner)) {
      throw new InvalidArgumentException(
          source + ": descriptor says " + desc.mediaType() + " but the document says " + inner);
    }
  }
}
