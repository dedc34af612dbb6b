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

/**
 * {@code hoist fetch REF}: fetch all content for an image into the store, like {@code ctr content
 * fetch}.
 */
final class FetchCommand extends Command {

  private static final Args.Option PLATFORM =
      Args.Option.values(
          "--platform",
          "P",
          "Platform to fetch, matched exactly (repeatable); default: this machine's.");
  private static final Args.Option ALL_PLATFORMS =
      Args.Option.flag("--all-platforms", "Fetch content for every platform.");
  private static final Args.Option ALL_METADATA =
      Args.Option.flag(
          "--all-metadata",
          "Fetch manifests and configs of every platform, layers of the chosen ones.");
  private static final Args.Option METADATA_ONLY =
      Args.Option.flag(
          "--metadata-only", "Fetch the index, every manifest and every config; no layers.");
  private static final Args.Option FOLLOW_FOREIGN_URLS =
      Args.Option.flag(
          "--follow-foreign-urls",
          "Fetch foreign (non-distributable) layers from their urls first.");
  private static final Args.Option MAX_DOWNLOADS =
      Args.Option.value("--max-concurrent-downloads", "N", "At most N blobs at once (default: 8).");
  private static final Args.Option LABEL =
      Args.Option.values("--label", "KEY=VALUE", "Label for the image (repeatable).");
  static final Args.Option PROGRESS =
      Args.Option.value(
          "--progress",
          "MODE",
          "auto, tty, plain or none (default: auto; none with -q or --format json).");

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
    all.addAll(List.of(PLATFORM, ALL_PLATFORMS, ALL_METADATA, METADATA_ONLY, FOLLOW_FOREIGN_URLS));
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
    if (allPlatforms && !args.values(PLATFORM.name()).isEmpty()) {
      // ctr ignores --platform then; Hoist says so instead of guessing which one was meant.
      throw new Args.UsageException("--all-platforms and --platform exclude each other");
    }
    long maxConcurrentDownloads = args.number(MAX_DOWNLOADS.name(), 8);
    if (maxConcurrentDownloads < 1 || maxConcurrentDownloads > Integer.MAX_VALUE) {
      throw new Args.UsageException(
          "--max-concurrent-downloads must be at least 1, got " + maxConcurrentDownloads);
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
    String mode =
        ProgressMode.choose(
            args.value(PROGRESS.name(), quiet || format == OutputFormat.JSON ? "none" : "auto"));
    Resolver resolver = new RegistryOptions(args).resolver(args.has(FOLLOW_FOREIGN_URLS.name()));
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
    try (Client client = Client.builder().contentStore(cs).build()) {
      Interruption interruption = Interruption.install(err);
      // The display closes (its last frame drawn) before fetchEnded: the hook's line must not
      // land in a redraw.
      try (FetchDisplay display = FetchDisplay.start(mode, out)) {
        Image image;
        try {
          image = client.fetch(ref, ctx.progress(display.listener()).build());
        } catch (RuntimeException e) {
          if (interruption.requested()) {
            return Interruption.EXIT_STATUS; // the hook prints the one line
          }
          throw e;
        }
        display.finish(image, format, quiet);
      } finally {
        interruption.fetchEnded();
      }
      return 0;
    }
  }
}
