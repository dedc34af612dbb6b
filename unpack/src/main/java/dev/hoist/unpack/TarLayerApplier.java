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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Applier} for local snapshots: streams the layer blob from the content provider through
 * {@link TarApplier} into a {@code bind} mount's source directory (a plain tree, as {@link
 * LocalSnapshotter} reports, or an {@link OverlaySnapshotter} snapshot without parent), or, for an
 * {@code overlay} mount ({@link OverlaySnapshotter} with parents), into its {@code upperdir} as an
 * overlay diff over its {@code lowerdir}s ({@link TarApplier#applyOverlay}), mounting nothing.
 * Thread-safe. What it skipped (owners and device nodes without root, …) accumulates in {@link
 * #skipped()} for a summary.
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
    return apply(layer, provider, mounts, (Runnable) null);
  }

  /**
   * Applies at once onto an overlay mount from {@link OverlaySnapshotter#prepareOnPending}, and
   * waits for {@code parentCommitted} only at the first entry that reads the lower directories (a
   * directory the tar does not list, a hardlink to a lower file, a whiteout); onto a bind mount,
   * waits first.
   */
  @Override
  public Digest apply(
      Descriptor layer,
      ContentProvider provider,
      List<Mount> mounts,
      CompletionStage<?> parentCommitted)
      throws IOException {
    Objects.requireNonNull(parentCommitted, "parentCommitted");
    return apply(layer, provider, mounts, () -> Applier.awaitParent(layer, parentCommitted));
  }

  private Digest apply(
      Descriptor layer, ContentProvider provider, List<Mount> mounts, Runnable lowersReady)
      throws IOException {
    Objects.requireNonNull(layer, "layer");
    Mount mount = mounts.size() == 1 ? mounts.get(0) : null;
    if (mount == null || !(mount.isBind() || "overlay".equals(mount.type()))) {
      throw new NotImplementedException(
          "layer "
              + layer.digest()
              + ": TarLayerApplier applies onto one bind mount (a native snapshot) or one overlay"
              + " mount (an overlayfs snapshot), not "
              + mounts);
    }
    OverlayTarget overlay = mount.isBind() ? null : OverlayTarget.of(mount);
    if (mount.readOnly() || (overlay != null && overlay.upper() == null)) {
      throw new InvalidArgumentException(
          "layer " + layer.digest() + ": mount " + mount.source() + " is read-only");
    }
    if (overlay == null && lowersReady != null) {
      lowersReady.run(); // a bind mount holds the parent's files: wait until they are complete
    }
    try (InputStream in = provider.openStream(layer)) {
      ApplyResult result =
          overlay == null
              ? tar.apply(in, Path.of(mount.source()))
              : tar.applyOverlay(in, overlay.upper(), overlay.lowers(), lowersReady);
      skipped.accumulateAndGet(result.skipped(), SkipCounts::plus);
      return result.diffId();
    }
  }

  /** The upper (null for a read-only overlay) and lower directories of an overlay mount. */
  private record OverlayTarget(Path upper, List<Path> lowers) {
    static OverlayTarget of(Mount mount) {
      Path upper = null;
      List<Path> lowers = List.of();
      for (String option : mount.options()) {
        if (option.startsWith("upperdir=")) {
          upper = Path.of(option.substring("upperdir=".length()));
        } else if (option.startsWith("lowerdir=")) {
          lowers =
              Arrays.stream(option.substring("lowerdir=".length()).split(":"))
                  .map(Path::of)
                  .toList();
        }
      }
      return new OverlayTarget(upper, lowers);
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
