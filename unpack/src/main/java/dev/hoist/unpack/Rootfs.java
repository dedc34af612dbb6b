package dev.hoist.unpack;

import dev.hoist.client.Client;
import dev.hoist.client.UnpackedImage;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.platforms.MatchComparer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The root filesystem of an image as a plain directory: the image is unpacked into the snapshotter
 * first when needed (layers already committed are reused), then the top snapshot's tree is copied
 * out. The copy shares no file with the snapshot (but device nodes and fifos), so it may be changed
 * freely.
 */
public final class Rootfs {

  private Rootfs() {}

  /**
   * Writes the root filesystem of {@code image} for {@code platform} into {@code target}.
   *
   * @param client a client whose snapshotter is {@code snapshots} and whose applier applies onto it
   * @param snapshots the client's snapshotter
   * @param image an image whose manifest, config and layers are in the client's content store
   * @param platform chooses the manifest
   * @param target absent or an empty directory
   * @return what was unpacked
   * @throws IOException when copying fails
   * @throws InvalidArgumentException when {@code target} has content or is not a directory
   * @throws dev.hoist.errors.NotFoundException when content is missing
   */
  public static UnpackedImage materialize(
      Client client, LocalSnapshotter snapshots, Image image, MatchComparer platform, Path target)
      throws IOException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(snapshots, "snapshots");
    checkTarget(target);
    UnpackedImage unpacked = client.unpack(image, platform, null);
    write(snapshots, unpacked, target);
    return unpacked;
  }

  /**
   * Copies the top snapshot of an unpacked image into {@code target}; an image without layers gives
   * an empty directory.
   *
   * @param snapshots the snapshotter the image was unpacked into
   * @param unpacked the result of a pull or unpack
   * @param target absent or an empty directory
   * @throws IOException when copying fails
   * @throws InvalidArgumentException when {@code target} has content or is not a directory
   */
  public static void write(LocalSnapshotter snapshots, UnpackedImage unpacked, Path target)
      throws IOException {
    if (unpacked.chainId() == null) {
      LocalSnapshotter.prepareTarget(target);
      return;
    }
    snapshots.export(unpacked.chainId().toString(), target);
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
