package dev.hoist.examples.cli;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.examples.cli.progress.Units;
import dev.hoist.images.Image;
import dev.hoist.images.Images;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Platform;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hoist images ls}: the images recorded in the store. */
@Command(name = "images", description = "List images in the store.", subcommands = ImagesCommand.Ls.class)
final class ImagesCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "ls", description = "List images: name, digest, size, platforms.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      {
        LocalContentStore cs = LocalContentStore.open(store.resolve());
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
      }
      return 0;
    }
  }
}
