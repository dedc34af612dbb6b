package dev.hoist.cli;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.cli.progress.Units;
import dev.hoist.images.Image;
import dev.hoist.images.Images;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Platform;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** {@code hoist images ls}: the images recorded in the store. */
final class ImagesCommand extends Command {

  ImagesCommand() {
    super("images ls", "List images: name, digest, size, platforms.", List.of(StoreOption.STORE));
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    args.none();
    LocalContentStore cs = LocalContentStore.open(StoreOption.resolve(args));
    out.printf("%-50s %-19s %10s %s%n", "REF", "DIGEST", "SIZE", "PLATFORMS");
    for (Image image : cs.list()) {
      List<Platform> ps = Images.platforms(cs, image.target());
      long size = Images.size(cs, image.target(), Platforms.all());
      out.printf(
          "%-50s %-19s %10s %s%n",
          image.name(),
          image.target().digest().toString().substring(0, 19),
          Units.bytes(size),
          ps.stream().map(Platforms::format).collect(Collectors.joining(",")));
    }
    return 0;
  }
}
