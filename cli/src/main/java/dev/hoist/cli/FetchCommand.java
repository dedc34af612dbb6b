package dev.hoist.cli;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.remotes.Resolver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code hoist fetch REF}: fetch all content for an image into the store, like {@code ctr content fetch}. */
final class FetchCommand extends Command {

  private static final Args.Option PLATFORM =
      Args.Option.values("--platform", "P", "Platform to fetch (repeatable); default: this machine's.");
  private static final Args.Option ALL_PLATFORMS = Args.Option.flag("--all-platforms", "Fetch content for every platform.");
  private static final Args.Option ALL_METADATA =
      Args.Option.flag("--all-metadata", "Fetch manifests and configs of every platform, layers of the chosen ones.");
  private static final Args.Option METADATA_ONLY =
      Args.Option.flag("--metadata-only", "Fetch only indexes, manifests and configs.");
  private static final Args.Option MAX_DOWNLOADS =
      Args.Option.value("--max-concurrent-downloads", "N", "At most N blobs at once (default: 8).");
  private static final Args.Option LABEL = Args.Option.values("--label", "KEY=VALUE", "Label for the image (repeatable).");
  static final Args.Option PROGRESS =
      Args.Option.value("--progress", "MODE", "auto, tty, plain or none (default: auto; none with -q or --format json).");

  FetchCommand() {
    super(
        "fetch",
        "Fetch all content for an image into the content store.",
        "REF",
        "Image reference, e.g. docker.io/library/alpine:3.20 or alpine.",
        options());
  }

  private static List<Args.Option> options() {
    List<Args.Option> all = new ArrayList<>();
    all.add(StoreOption.STORE);
    all.addAll(List.of(PLATFORM, ALL_PLATFORMS, ALL_METADATA, METADATA_ONLY));
    all.addAll(RegistryOptions.ALL);
    all.addAll(List.of(MAX_DOWNLOADS, LABEL, PROGRESS));
    all.addAll(OutputFormat.OPTIONS);
    return all;
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    String ref = args.single("REF (the image reference)");
    boolean allPlatforms = args.has(ALL_PLATFORMS.name());
    boolean allMetadata = args.has(ALL_METADATA.name());
    boolean metadataOnly = args.has(METADATA_ONLY.name());
    if ((allPlatforms ? 1 : 0) + (allMetadata ? 1 : 0) + (metadataOnly ? 1 : 0) > 1) {
      throw new Args.UsageException("--all-platforms, --all-metadata and --metadata-only exclude each other");
    }
    long maxConcurrentDownloads = args.number(MAX_DOWNLOADS.name(), 8);
    if (maxConcurrentDownloads < 1 || maxConcurrentDownloads > Integer.MAX_VALUE) {
      throw new Args.UsageException("--max-concurrent-downloads must be at least 1, got " + maxConcurrentDownloads);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String label : args.values(LABEL.name())) {
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw new Args.UsageException("--label needs KEY=VALUE, got '" + label + "'");
      }
      labels.put(label.substring(0, eq), label.substring(eq + 1));
    }
    for (String p : args.values(PLATFORM.name())) {
      try {
        dev.hoist.platforms.Platforms.parse(p);
      } catch (InvalidArgumentException e) {
        throw new Args.UsageException("--platform: " + e.getMessage());
      }
    }
    OutputFormat format = OutputFormat.of(args);
    boolean quiet = OutputFormat.quiet(args);
    String mode = ProgressMode.choose(args.value(PROGRESS.name(), quiet || format == OutputFormat.JSON ? "none" : "auto"));
    Resolver resolver = new RegistryOptions(args).resolver();
    RemoteContext.Builder ctx =
        RemoteContext.builder()
            .resolver(resolver)
            .maxConcurrentDownloads((int) maxConcurrentDownloads)
            .labels(labels);
    List<String> platforms = args.values(PLATFORM.name());
    if (allPlatforms) {
      ctx.platformMatcher(dev.hoist.platforms.Platforms.all());
    } else if (!platforms.isEmpty()) {
      ctx.platforms(platforms.toArray(String[]::new));
    }
    ctx.allMetadata(allMetadata).metadataOnly(metadataOnly);

    LocalContentStore cs = LocalContentStore.open(StoreOption.resolve(args));
    try (Client client = Client.builder().contentStore(cs).build();
        FetchDisplay display = FetchDisplay.start(mode, out)) {
      Image image = client.fetch(ref, ctx.progress(display.listener()).build());
      display.finish(image, format, quiet);
      return 0;
    }
  }
}
