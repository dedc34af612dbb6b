package dev.hoist.images.internal;

import dev.hoist.content.ContentProvider;
import dev.hoist.images.Handler;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
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
      Manifest manifest = Documents.manifest(provider, desc, maxManifestBytes);
      List<Descriptor> children = new ArrayList<>(1 + manifest.layers().size());
      children.add(manifest.config());
      children.addAll(manifest.layers());
      return children;
    }
    if (MediaTypes.isIndex(mt)) {
      return new ArrayList<>(Documents.index(provider, desc, maxManifestBytes).manifests());
    }
    if (!MediaTypes.isLayer(mt) && !MediaTypes.isConfig(mt)) {
      log.debug(
          "unknown media type, children not walked: digest={} mediaType={}", desc.digest(), mt);
    }
    return new ArrayList<>();
  }
}
