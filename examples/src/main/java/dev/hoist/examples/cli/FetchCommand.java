package dev.hoist.examples.cli;

import dev.hoist.client.Client;
import dev.hoist.client.ProgressListener;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.examples.cli.progress.FetchProgress;
import dev.hoist.examples.cli.progress.TerminalDisplay;
import dev.hoist.images.Image;
import dev.hoist.remotes.Resolver;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hoist fetch REF}: fetch all content for an image into the store, like {@code ctr content fetch}. */
@Command(name = "fetch", description = "Fetch all content for an image into the content store.")
final class FetchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOption store;

  @Mixin RegistryOptions registry;

  @Parameters(paramLabel = "REF", description = "Image reference, e.g. docker.io/library/alpine:3.20 or alpine.")
  String ref;

  @Option(names = "--platform", paramLabel = "P", description = "Platform to fetch (repeatable); default: this machine's.")
  List<String> platforms = new ArrayList<>();

  @ArgGroup(exclusive = true)
  Scope scope = new Scope();

  static final class Scope {
    @Option(names = "--all-platforms", description = "Fetch content for every platform.")
    boolean allPlatforms;

    @Option(names = "--all-metadata", description = "Fetch manifests and configs of every platform, layers of the chosen ones.")
    boolean allMetadata;

    @Option(names = "--metadata-only", description = "Fetch only indexes, manifests and configs.")
    boolean metadataOnly;
  }

  @Option(names = "--max-concurrent-downloads", paramLabel = "N", description = "At most N blobs at once (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int maxConcurrentDownloads;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for the image (repeatable).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--progress", paramLabel = "MODE", description = "auto, tty, plain or none (default: ${DEFAULT-VALUE}).", defaultValue = "auto")
  String progress;

  @Override
  public Integer call() throws Exception {
    if (maxConcurrentDownloads < 1) {
      throw new InvalidArgumentException("--max-concurrent-downloads must be at least 1, got " + maxConcurrentDownloads);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String mode = ProgressMode.choose(progress);
    FetchProgress fp =
        new FetchProgress(Clock.systemUTC(), "plain".equals(mode) ? line -> { out.println(line); out.flush(); } : line -> {});
    Resolver resolver = registry.resolver(err);
    RemoteContext.Builder ctx =
        RemoteContext.builder()
            .resolver(resolver)
            .maxConcurrentDownloads(maxConcurrentDownloads)
            .labels(labels)
            .progress("none".equals(mode) ? ProgressListener.NONE : fp);
    if (scope.allPlatforms) {
      ctx.platformMatcher(dev.hoist.platforms.Platforms.all());
    } else if (!platforms.isEmpty()) {
      ctx.platforms(platforms.toArray(String[]::new));
    }
    ctx.allMetadata(scope.allMetadata).metadataOnly(scope.metadataOnly);

    LocalContentStore cs = LocalContentStore.open(store.resolve());
    try (Client client = Client.builder().contentStore(cs).build()) {
      TerminalDisplay display = "tty".equals(mode) ? new TerminalDisplay(fp, System.out, Terminal.width()) : null;
      if (display != null) {
        display.start();
      }
      Image image;
      try {
        image = client.fetch(ref, ctx.build());
      } finally {
        if (display != null) {
          display.close();
        }
      }
      if (!"tty".equals(mode)) {
        out.println(image.name() + " " + image.target().digest());
      }
      return 0;
    }
  }
}
