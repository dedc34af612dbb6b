package dev.hoist.images.internal;

import dev.hoist.content.Blobs;
import dev.hoist.content.ContentProvider;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** containerd's {@code images.Children}: index → manifests, manifest → config + layers. */
public final class ChildrenHandler implements Handler {

  private static final Logger log = LoggerFactory.getLogger(ChildrenHandler.class);

  private final ContentProvider provider;
  private final long maxManifestBytes;

  public ChildrenHandler(ContentProvider provider, long maxManifestBytes) {
    this.provider = provider;
    this.maxManifestBytes = maxManifestBytes;
  }

  @Override
  public List<Descriptor> handle(Descriptor desc) throws IOException {
    String mt = desc.mediaType();
    if (MediaTypes.isManifest(mt)) {
      String source = "manifest " + desc.digest();
      byte[] json = read(desc, source);
      checkMediaType(json, desc, source);
      Manifest manifest = OciJson.readManifest(json, source);
      if (manifest.config() == null) {
        throw new InvalidArgumentException(source + ": missing config");
      }
      List<Descriptor> children = new ArrayList<>(1 + manifest.layers().size());
      children.add(manifest.config());
      children.addAll(manifest.layers());
      return children;
    }
    if (MediaTypes.isIndex(mt)) {
      String source = "index " + desc.digest();
      byte[] json = read(desc, source);
      checkMediaType(json, desc, source);
      Index index = OciJson.readIndex(json, source);
      return new ArrayList<>(index.manifests());
    }
    if (!MediaTypes.isLayer(mt) && !MediaTypes.isConfig(mt)) {
      log.debug("unknown media type, children not walked: digest={} mediaType={}", desc.digest(), mt);
    }
    return new ArrayList<>();
  }

  private byte[] read(Descriptor desc, String source) throws IOException {
    if (desc.size() > maxManifestBytes) {
      // Checked before reading so that an oversized document is never buffered.
      throw new InvalidArgumentException(
          source + ": size " + desc.size() + " exceeds the manifest limit of " + maxManifestBytes
              + " bytes");
    }
    return Blobs.readAll(provider, desc, maxManifestBytes);
  }

  /**
   * As containerd's {@code validateMediaType}: a document whose own media type says it is the
   * other kind (a manifest served as an index, or the reverse) is refused rather than misread.
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
