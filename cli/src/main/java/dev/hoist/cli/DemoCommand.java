package dev.hoist.cli;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hoist demo}: starts an in-process registry (hoist-testkit), pushes a generated
 * multi-platform image and fetches it with the progress table. Works offline.
 */
final class DemoCommand extends Command {

  private static final Args.Option STORE =
      Args.Option.value("--store", "DIR", "Content store (default: a new temporary directory).");
  private static final Args.Option LAYER_SIZE =
      Args.Option.value("--layer-size", "BYTES", "Bytes per layer (default: 4194304).");

  DemoCommand() {
    super(
        "demo",
        "Fetch a generated multi-platform image from an in-process registry (offline).",
        List.of(STORE, FetchCommand.PROGRESS, LAYER_SIZE));
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    args.none();
    long layerSize = args.number(LAYER_SIZE.name(), 4L << 20);
    if (layerSize < 1) {
      throw new Args.UsageException("--layer-size must be at least 1, got " + layerSize);
    }
    String given = args.value(STORE.name(), null);
    Path store = given == null ? null : Path.of(given);
    String mode = ProgressMode.choose(args.value(FetchCommand.PROGRESS.name(), "auto"));
    Path root = store != null ? store : Files.createTempDirectory("hoist-demo-");
    TestImage image =
        GeneratedImages.random(
            ImageSpec.builder()
                .platforms("linux/amd64", "linux/arm64/v8", "linux/arm/v7")
                .layers(3, layerSize)
                .build());
    try (TestRegistry registry = TestRegistry.start()) {
      String ref = registry.reference("demo/app:1.0");
      registry.push("demo/app:1.0", image);
      out.println("registry: " + registry.url() + "  image: " + ref + "  store: " + root);
      out.flush();
      LocalContentStore cs = LocalContentStore.open(root);
      try (Client client = Client.builder().contentStore(cs).build();
          FetchDisplay display = FetchDisplay.start(mode, out)) {
        RemoteContext ctx =
            RemoteContext.builder()
                .resolver(DockerResolver.builder().build())
                .platformMatcher(Platforms.all())
                .progress(display.listener())
                .build();
        Image fetched = client.fetch(ref, ctx);
        display.finish(fetched, OutputFormat.TEXT, false);
        out.println(
            "try: hoist images ls --store " + root + "   hoist content verify --store " + root);
      }
    }
    return 0;
  }
}
