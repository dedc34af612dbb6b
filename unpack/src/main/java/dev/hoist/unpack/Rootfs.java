package dev.hoist.unpack;

import dev.hoist.client.Client;
import dev.hoist.client.ImageLayers;
import dev.hoist.client.ProgressListener;
import dev.hoist.client.UnpackedImage;
import dev.hoist.diff.Applier;
import dev.hoist.diff.DiffIds;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.images.Image;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.snapshots.Kind;
import dev.hoist.snapshots.Mount;
import dev.hoist.snapshots.Snapshotter;
import dev.hoist.spec.Descriptor;
import dev.hoist.unpack.internal.SnapshotDirs;
import dev.hoist.unpack.internal.TreeCopy;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The root filesystem of an image as a plain directory: either the top snapshot of an unpacked
 * image copied out ({@link #write}; an overlay chain's diffs merged), or the layers applied
 * straight into the directory above the highest committed chain, making no snapshot ({@link
 * #materialize}). The result shares no file with a snapshot (but device nodes and fifos), so it may
 * be changed freely.
 */
public final class Rootfs {

  private Rootfs() {}

  /**
   * Writes the root filesystem of {@code image} for {@code platform} into {@code target} without
   * making snapshots. The highest layer whose chain ID is committed in {@code snapshots} is copied
   * out of that snapshot (the whole tree when the top layer's is); every layer above it is applied
   * straight into {@code target}, bottom first, each checked against its DiffID. Applying the
   * layers in order into one directory gives the tree an unpack into native snapshots gives (each
   * snapshot is its parent's tree with the layer applied on top), but writes each file once rather
   * than once per snapshot above it. On failure {@code target} is emptied (removed when this call
   * created it).
   *
   * @param client a client over the content store holding the image
   * @param snapshots where committed chains are looked up, a {@link LocalSnapshotter} or an {@link
   *     OverlaySnapshotter}; nothing is added to it
   * @param applier applies one layer onto a bind mount of {@code target}
   * @param image an image whose manifest, config and (uncommitted) layers are in the store
   * @param platform chooses the manifest
   * @param target absent or an empty directory
   * @param progress receives {@code unpacking} and {@code unpacked} per layer; may be null
   * @return what was copied and applied
   * @throws IOException when copying or applying fails
   * @throws InvalidArgumentException when {@code target} has content or is not a directory
   * @throws dev.hoist.errors.DigestMismatchException naming the layer index when a layer's DiffID
   *     differs from the config's
   * @throws dev.hoist.errors.NotFoundException when content is missing
   * @throws NotImplementedException when the chain to copy is in another kind of snapshotter
   */
  public static RootfsResult materialize(
      Client client,
      Snapshotter snapshots,
      Applier applier,
      Image image,
      MatchComparer platform,
      Path target,
      ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(applier, "applier");
    checkTarget(target);
    ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
    ImageLayers layers = client.layers(image, platform);
    int base = highestCommitted(snapshots, layers);
    boolean created = !Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    try {
      if (base >= 0) {
        export(snapshots, layers.chainIds().get(base).toString(), target);
      } else {
        SnapshotDirs.prepareTarget(target);
      }
      for (int i = 0; i <= base; i++) {
        listener.unpacked(layers.layers().get(i), layers.chainIds().get(i), true);
      }
      List<Mount> mounts = List.of(Mount.bind(target.toString(), false));
      for (int i = base + 1; i < layers.layers().size(); i++) {
        Descriptor layer = layers.layers().get(i);
        listener.unpacking(layer);
        Digest diffId = applier.apply(layer, client.contentStore(), mounts);
        DiffIds.check(image.name(), i, layer, layers.diffIds().get(i), diffId);
        listener.unpacked(layer, layers.chainIds().get(i), false);
      }
    } catch (IOException | RuntimeException e) {
      try {
        discard(target, created);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return new RootfsResult(image, layers, base + 1, layers.layers().size() - base - 1);
  }

  /** Index of the highest layer whose chain is committed, or -1. */
  private static int highestCommitted(Snapshotter snapshots, ImageLayers layers)
      throws IOException {
    for (int i = layers.chainIds().size() - 1; i >= 0; i--) {
      try {
        if (snapshots.stat(layers.chainIds().get(i).toString()).kind() == Kind.COMMITTED) {
          return i;
        }
      } catch (NotFoundException e) {
        // not committed: look lower
      }
    }
    return -1;
  }

  /** Removes what a failed materialize wrote: the target itself when this call created it. */
  private static void discard(Path target, boolean created) throws IOException {
    if (created) {
      TreeCopy.delete(target);
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        TreeCopy.delete(entry);
      }
    }
  }

  /**
   * Copies the top snapshot of an unpacked image into {@code target}; an image without layers gives
   * an empty directory.
   *
   * @param snapshots the snapshotter the image was unpacked into: a {@link LocalSnapshotter} or an
   *     {@link OverlaySnapshotter}
   * @param unpacked the result of a pull or unpack
   * @param target absent or an empty directory
   * @throws IOException when copying fails
   * @throws InvalidArgumentException when {@code target} has content or is not a directory
   * @throws NotImplementedException for another kind of snapshotter
   */
  public static void write(Snapshotter snapshots, UnpackedImage unpacked, Path target)
      throws IOException {
    if (unpacked.chainId() == null) {
      SnapshotDirs.prepareTarget(target);
      return;
    }
    export(snapshots, unpacked.chainId().toString(), target);
  }

  /**
   * The seam between root filesystems and snapshotters: writes the committed chain {@code name} as
   * a plain tree into {@code target}, a copy of a native snapshot or the merge of an overlay
   * chain's diffs.
   */
  private static void export(Snapshotter snapshots, String name, Path target) throws IOException {
    if (snapshots instanceof DirectorySnapshotter local) {
      local.export(name, target);
    } else {
      throw new NotImplementedException(
          "root filesystem: cannot read snapshots of the " + snapshots.name() + " snapshotter");
    }
  }

  /**
   * Fails early, before any download or unpack, when {@code target} cannot receive a root
   * filesystem.
   *
   * @param target absent or an empty directory
   * @throws IOException when it cannot be read
   * @throws InvalidArgumentException when it has content or is not a directory
   */
  public static void checkTarget(Path target) throws IOException {
    Objects.requireNonNull(target, "target");
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException(target + ": not a directory");
      }
      try (var entries = Files.newDirectoryStream(target)) {
        if (entries.iterator().hasNext()) {
          throw new InvalidArgumentException(target + ": directory is not empty");
        }
      }
    }
  }
}
