package dev.hoist.unpack;

import dev.hoist.content.ContentProvider;
import dev.hoist.diff.Applier;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Applier} for snapshots that are plain directories (a {@code bind} mount, as {@link
 * LocalSnapshotter} reports): streams the layer blob from the content provider through {@link
 * TarApplier} into the mount's source directory. Thread-safe. What it skipped (owners and device
 * nodes without root, …) accumulates in {@link #skipped()} for a summary.
 */
public final class TarLayerApplier implements Applier {

  private final TarApplier tar;
  private final AtomicReference<SkipCounts> skipped = new AtomicReference<>(SkipCounts.NONE);

  private TarLayerApplier(ApplyOptions options) {
    this.tar = TarApplier.create(options);
  }

  /**
   * An applier with {@link ApplyOptions#defaults()}.
   *
   * @return the applier
   */
  public static TarLayerApplier create() {
    return new TarLayerApplier(ApplyOptions.defaults());
  }

  /**
   * An applier with {@code options} (limits, strictness, ownership); an expected DiffID in them is
   * ignored, since each layer has its own and the unpacker checks it.
   *
   * @param options how layers are applied
   * @return the applier
   */
  public static TarLayerApplier create(ApplyOptions options) {
    Objects.requireNonNull(options, "options");
    return new TarLayerApplier(options.toBuilder().expectedDiffId(null).build());
  }

  @Override
  public Digest apply(Descriptor layer, ContentProvider provider, List<Mount> mounts)
      throws IOException {
    Objects.requireNonNull(layer, "layer");
    if (mounts.size() != 1 || !mounts.get(0).isBind()) {
      throw new NotImplementedException(
          "layer "
              + layer.digest()
              + ": TarLayerApplier applies onto one bind mount (a native snapshot), not "
              + mounts);
    }
    Mount mount = mounts.get(0);
    if (mount.readOnly()) {
      throw new InvalidArgumentException(
          "layer " + layer.digest() + ": mount " + mount.source() + " is read-only");
    }
    try (InputStream in = provider.openStream(layer)) {
      ApplyResult result = tar.apply(in, Path.of(mount.source()));
      skipped.accumulateAndGet(result.skipped(), SkipCounts::plus);
      return result.diffId();
    }
  }

  /**
   * What every apply so far skipped.
   *
   * @return the counts, summed
   */
  public SkipCounts skipped() {
    return skipped.get();
  }
}
