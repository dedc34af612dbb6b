package dev.hoist.cli;

import dev.hoist.client.ProgressListener;
import dev.hoist.client.RemoteContext;
import dev.hoist.client.UnpackedImage;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.Platform;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code hoist pull REF}: fetch one platform's image and unpack its layers into snapshots, like
 * {@code ctr images pull}.
 */
final class PullCommand extends Command {

  static final Args.Option PLATFORM =
      Args.Option.values(
          "--platform",
          "P",
          "Platform to pull (repeatable: preferred first); default: this machine's.");
  static final Args.Option MAX_DOWNLOADS =
      Args.Option.value("--max-concurrent-downloads", "N", "At most N blobs at once (default: 8).");

  PullCommand() {
    super(
        "pull",
        "Fetch an image for one platform and unpack it into snapshots.",
        "REF",
        "Image reference, e.g. docker.io/library/alpine:3.20 or alpine.",
        options());
  }

  static List<Args.Option> options() {
    List<Args.Option> all = new ArrayList<>();
    all.add(StoreOption.STORE);
    all.add(SnapshotterOption.SNAPSHOTTER);
    all.add(PLATFORM);
    all.addAll(RegistryOptions.ALL);
    all.addAll(List.of(MAX_DOWNLOADS, FetchCommand.PROGRESS));
    return all;
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    String ref = args.single("REF (the image reference)");
    String mode = ProgressMode.choose(args.value(FetchCommand.PROGRESS.name(), "auto"));
    try (Unpacking u = Unpacking.open(args)) {
      long start = System.nanoTime();
      UnpackedImage pulled = pull(args, u, ref, mode, out);
      out.println(doneLine(pulled, start));
      u.reportSkipped(err);
      return 0;
    }
  }

  /** Pulls {@code ref} with the registry, platform and progress options in {@code args}. */
  static UnpackedImage pull(Args args, Unpacking u, String ref, String mode, PrintWriter out)
      throws Exception {
    RemoteContext.Builder ctx = context(args);
    try (FetchDisplay display = FetchDisplay.start(mode, out)) {
      ProgressListener listener =
          "none".equals(mode)
              ? ProgressListener.NONE
              : new UnpackProgress(display.listener(), plainLines(mode, out));
      return u.client.pull(ref, ctx.progress(listener).build());
    }
  }

  /**
   * Fetches {@code ref} for the platform in {@code args} as a pull would, without unpacking (for
   * {@code hoist rootfs}, which applies the layers itself).
   */
  static Image fetch(Args args, Unpacking u, String ref, String mode, PrintWriter out)
      throws Exception {
    RemoteContext.Builder ctx = context(args);
    try (FetchDisplay display = FetchDisplay.start(mode, out)) {
      ProgressListener listener = "none".equals(mode) ? ProgressListener.NONE : display.listener();
      return u.client.fetch(ref, ctx.progress(listener).build());
    }
  }

  /** Unpack events become lines of the plain log; the live table shows the downloads only. */
  static Consumer<String> plainLines(String mode, PrintWriter out) {
    return "plain".equals(mode)
        ? line -> {
          out.println(line);
          out.flush();
        }
        : line -> {};
  }

  /** The registry, concurrency and platform options of {@code args} as a context. */
  private static RemoteContext.Builder context(Args args) throws Args.UsageException {
    long maxConcurrentDownloads = args.number(MAX_DOWNLOADS.name(), 8);
    if (maxConcurrentDownloads < 1 || maxConcurrentDownloads > Integer.MAX_VALUE) {
      throw new InvalidArgumentException(
          "--max-concurrent-downloads must be at least 1, got " + maxConcurrentDownloads);
    }
    RemoteContext.Builder ctx =
        RemoteContext.builder()
            .resolver(new RegistryOptions(args).resolver())
            .maxConcurrentDownloads((int) maxConcurrentDownloads);
    List<String> platforms = args.values(PLATFORM.name());
    if (!platforms.isEmpty()) {
      ctx.platforms(platforms.toArray(String[]::new));
    } else {
      // containerd's Pull: this host's platform and what it also runs, best match only.
      ctx.platformMatcher(Platforms.only(Platforms.defaultPlatform()));
    }
    return ctx;
  }

  /**
   * ctr's closing line: {@code unpacking linux/amd64 sha256:…...done: 1.2s}, plus the layer counts.
   */
  static String doneLine(UnpackedImage pulled, long startNanos) {
    return doneLine(
        pulled.platform(),
        pulled.image().target().digest(),
        pulled.applied(),
        pulled.reused(),
        startNanos);
  }

  /** The closing line for the given parts; {@code platform} may be null. */
  static String doneLine(
      Platform platform, Digest image, int applied, int reused, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String shown = platform == null ? "unknown" : Platforms.format(platform);
    return String.format(
        "unpacking %s %s...done: %.2fs (%d layers applied, %d reused)",
        shown, image, seconds, applied, reused);
  }
}
