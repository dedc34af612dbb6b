package dev.hoist.cli;

import dev.hoist.client.UnpackedImage;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.platforms.MatchComparer;
import dev.hoist.platforms.Platforms;
import dev.hoist.reference.DockerReferences;
import dev.hoist.spec.Platform;
import dev.hoist.unpack.Rootfs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code hoist rootfs REF DIR}: write an image's flattened root filesystem into a new or empty
 * directory; the image is unpacked first (and pulled when it is not in the store).
 */
final class RootfsCommand extends Command {

  RootfsCommand() {
    super(
        "rootfs",
        "Write an image's root filesystem into a new or empty directory (pulls and unpacks when needed).",
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
    try (Unpacking u = Unpacking.open(StoreOption.resolve(args))) {
      long start = System.nanoTime();
      UnpackedImage unpacked = unpackStored(args, u, ref).orElse(null);
      if (unpacked == null) {
        unpacked = PullCommand.pull(args, u, ref, mode, out);
      }
      Rootfs.write(u.snapshots, unpacked, target);
      if (!"none".equals(mode)) {
        out.println(PullCommand.doneLine(unpacked, start));
      }
      u.reportSkipped(err);
      return 0;
    }
  }

  /** Unpacks the image when it and its layers are in the store; empty when something is missing. */
  private static Optional<UnpackedImage> unpackStored(Args args, Unpacking u, String ref)
      throws Exception {
    Optional<Image> image = u.store.get(DockerReferences.normalize(ref).toString());
    if (image.isEmpty()) {
      return Optional.empty();
    }
    List<String> platforms = args.values(PullCommand.PLATFORM.name());
    MatchComparer matcher =
        platforms.isEmpty()
            ? Platforms.only(Platforms.defaultPlatform())
            : Platforms.ordered(platforms.stream().map(Platforms::parse).toArray(Platform[]::new));
    try {
      return Optional.of(u.client.unpack(image.get(), matcher, null));
    } catch (NotFoundException e) {
      return Optional.empty(); // a layer or the platform's manifest is not here yet: pull
    }
  }
}
