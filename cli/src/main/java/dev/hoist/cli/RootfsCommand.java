package dev.hoist.cli;

import dev.hoist.client.ImageLayers;
import dev.hoist.client.ProgressListener;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.reference.DockerReferences;
import dev.hoist.snapshots.Kind;
import dev.hoist.spec.Platform;
import dev.hoist.unpack.Rootfs;
import dev.hoist.unpack.RootfsResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code hoist rootfs REF DIR}: write an image's flattened root filesystem into a new or empty
 * directory. The image is fetched when it or a layer is not in the store; committed snapshots are
 * reused (copied out), and the layers above them are applied straight into DIR without making
 * snapshots (see {@link Rootfs#materialize}).
 */
final class RootfsCommand extends Command {

  RootfsCommand() {
    super(
        "rootfs",
        "Write an image's root filesystem into a new or empty directory (fetches when needed).",
        "REF DIR",
        "Image reference, and the directory to write (new, or empty).",
        PullCommand.options());
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    List<String> operands = args.positionals(2, "REF and DIR");
    String ref = operands.get(0);
    Path target = Path.of(operands.get(1));
    Rootfs.checkTarget(target);
    String mode = ProgressMode.choose(args.value(FetchCommand.PROGRESS.name(), "auto"));
    List<String> platforms = args.values(PullCommand.PLATFORM.name());
    MatchComparer matcher =
        platforms.isEmpty()
            ? Platforms.only(Platforms.defaultPlatform())
            : Platforms.ordered(platforms.stream().map(Platforms::parse).toArray(Platform[]::new));
    try (Unpacking u = Unpacking.open(args)) {
      long start = System.nanoTime();
      Image image = stored(u, ref, matcher).orElse(null);
      if (image == null) {
        image = PullCommand.fetch(args, u, ref, mode, out);
      }
      ProgressListener progress =
          "none".equals(mode)
              ? null
              : new UnpackProgress(ProgressListener.NONE, PullCommand.plainLines(mode, out));
      RootfsResult result =
          Rootfs.materialize(u.client, u.snapshots, u.applier, image, matcher, target, progress);
      if (!"none".equals(mode)) {
        out.println(
            PullCommand.doneLine(
                result.layers().platform(),
                image.target().digest(),
                result.applied(),
                result.copied(),
                start));
      }
      u.reportSkipped(err);
      return 0;
    }
  }

  /**
   * The stored image when its manifest, config and every layer not yet committed are in the store;
   * empty when something is missing (then the image is fetched).
   */
  private static Optional<Image> stored(Unpacking u, String ref, MatchComparer matcher)
      throws IOException {
    Optional<Image> image = u.store.get(DockerReferences.normalize(ref).toString());
    if (image.isEmpty()) {
      return Optional.empty();
    }
    try {
      ImageLayers layers = u.client.layers(image.get(), matcher);
      // From the top down to the highest committed chain: the layers below it are not read (a
      // pull that reused their chain never fetched them).
      for (int i = layers.layers().size() - 1; i >= 0; i--) {
        if (committed(u, layers.chainIds().get(i).toString())) {
          break;
        }
        if (!u.store.exists(layers.layers().get(i).digest())) {
          return Optional.empty();
        }
      }
      return image;
    } catch (NotFoundException e) {
      return Optional.empty(); // the platform's manifest or the config is not here yet
    }
  }

  private static boolean committed(Unpacking u, String chain) throws IOException {
    try {
      return u.snapshots.stat(chain).kind() == Kind.COMMITTED;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
