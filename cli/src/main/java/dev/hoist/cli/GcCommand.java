package dev.hoist.cli;

import dev.hoist.cli.progress.Units;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.gc.GarbageCollector;
import dev.hoist.gc.GcResult;
import dev.hoist.gc.SnapshotSweeper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hoist gc}: removes every blob no recorded image reaches (containerd's rule: images are the
 * roots, {@code containerd.io/gc.ref.content.*} labels the edges) and abandoned ingests. Waits for
 * fetches running in other processes to record their images first.
 */
final class GcCommand extends Command {

  private static final Args.Option DRY_RUN =
      Args.Option.flag("--dry-run", "Only list what would be removed.");
  private static final Args.Option INGEST_AGE =
      Args.Option.value(
          "--ingest-age",
          "AGE",
          "Remove unfinished downloads untouched for AGE (e.g. 30m, 12h, 2d; default 1d).");

  /** Compiled on first use: every command is built at start-up, and a regex costs milliseconds. */
  private static final class Age {
    static final Pattern PATTERN = Pattern.compile("(\\d{1,9})(s|m|h|d)");
  }

  GcCommand() {
    super(
        "gc",
        "Remove blobs no image needs, and abandoned downloads.",
        List.of(StoreOption.STORE, SnapshotterOption.SNAPSHOTTER, DRY_RUN, INGEST_AGE));
  }

  @Override
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception {
    args.none();
    Duration age = age(args.value(INGEST_AGE.name(), null));
    String chosen = args.value(SnapshotterOption.SNAPSHOTTER.name(), null);
    if (chosen != null && !SnapshotterOption.NAMES.contains(chosen)) {
      throw new Args.UsageException(
          "--snapshotter must be overlayfs or native, got '" + chosen + "'");
    }
    boolean dryRun = args.has(DRY_RUN.name());
    Path storeDir = StoreOption.resolve(args);
    LocalContentStore cs = LocalContentStore.openExisting(storeDir);
    GarbageCollector.Builder builder =
        GarbageCollector.builder(cs, cs)
            .ingestAge(age)
            .onWaiting(
                () -> {
                  err.println("hoist: waiting for fetches into " + cs.root() + " to finish");
                  err.flush();
                });
    // Snapshots (hoist pull) no image reaches any more go too, children first: of every
    // snapshotter the store has, or only the one --snapshotter names.
    String only = args.value(SnapshotterOption.SNAPSHOTTER.name(), null);
    for (String name : SnapshotterOption.NAMES) {
      if ((only == null || only.equals(name))
          && Files.isDirectory(SnapshotterOption.dir(storeDir, name))) {
        builder.sweeper(new SnapshotSweeper(SnapshotterOption.open(storeDir, name)));
      }
    }
    GarbageCollector gc = builder.build();
    GcResult r = dryRun ? gc.dryRun() : gc.collect();
    String verb = dryRun ? "would remove " : "removed ";
    for (Digest d : r.blobs()) {
      out.println(verb + d);
    }
    for (String ref : r.ingests()) {
      out.println(verb + "ingest " + ref);
    }
    for (String o : r.other()) {
      out.println(verb + o);
    }
    out.println(
        (dryRun ? "would remove " : "removed ")
            + r.blobs().size()
            + " blobs ("
            + Units.bytes(r.bytes())
            + ") and "
            + r.ingests().size()
            + " ingests; "
            + r.marks().content().size()
            + " blobs referenced by images");
    return 0;
  }

  static Duration age(String s) throws Args.UsageException {
    if (s == null) {
      return GarbageCollector.DEFAULT_INGEST_AGE;
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = Age.PATTERN.matcher(s);
    if (!m.matches()) {
      throw new Args.UsageException(
          "--ingest-age needs a number and s, m, h or d (e.g. 12h), got '" + s + "'");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }
}
