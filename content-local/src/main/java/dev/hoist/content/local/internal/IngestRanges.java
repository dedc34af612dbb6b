package dev.hoist.content.local.internal;

import dev.hoist.content.ByteRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code ranges} file of an ingest whose bytes arrived out of order. It exists only while an
 * ingest holds bytes beyond its contiguous prefix; without it the prefix is the data file's length,
 * as in containerd. Lines (ranges half-open, each list sorted and disjoint, the prefix included):
 *
 * <ul>
 *   <li>{@code boot <id>}: the kernel's boot id when the file was written;
 *   <li>{@code w <start> <end>}: a range written to the data file (in the page cache, perhaps not
 *       on disk yet), recorded as soon as its write returned;
 *   <li>{@code d <start> <end>}: a range known durable, recorded after a completed data fsync (a
 *       bare {@code <start> <end>} line, from an earlier version, means the same).
 * </ul>
 *
 * <p>A killed process leaves its writes in the page cache, so in the same boot the written ranges
 * are trusted; after a reboot (an OS crash or a power loss may have dropped unsynced pages) only
 * the durable ones are. Either way nothing past the data file's length is trusted, and the commit's
 * digest check has the final word. Bytes of the data file outside the trusted ranges are ignored.
 * The file is replaced atomically and never fsynced itself: losing its latest version only costs a
 * re-fetch.
 */
public final class IngestRanges {

  /** More ranges than any writer keeps (a few per chunk in flight): the file is not ours. */
  static final int MAX_RANGES = 1024;

  private static final String BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id";

  /** This boot's id, or null where the kernel does not tell it (only durable ranges count). */
  static final String BOOT_ID = readBootId(Path.of(BOOT_ID_FILE));

  private static final AtomicInteger COUNT = new AtomicInteger();

  /**
   * Runs the writers' background records (of durable ranges: a data fsync, then the file; of
   * written ranges: the file alone, see {@link RangesRecorder}): daemon threads, never interrupted,
   * so that a record cannot close a writer's channel.
   */
  static final ExecutorService RECORDERS =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "hoist-ranges-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /**
   * What a ranges file holds that can be trusted now.
   *
   * @param trusted the ranges whose bytes are in the data file, clipped to its length
   * @param durable the part of them known to be on disk
   */
  record Loaded(List<ByteRange> trusted, List<ByteRange> durable) {}

  private IngestRanges() {}

  static String readBootId(Path file) {
    try {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return isBootId(id) ? id : null;
    } catch (IOException | RuntimeException e) {
      return null; // not Linux, or /proc not mounted: behave as if nothing were written unsynced
    }
  }

  private static boolean isBootId(String id) {
    return !id.isEmpty()
        && id.length() <= 64
        && id.chars().allMatch(c -> c == '-' || Character.digit(c, 16) >= 0);
  }

  /**
   * Replaces the file. Without a boot id only {@code durable} is recorded, as written ranges could
   * not be told apart from those of an earlier boot.
   */
  static void write(Path dir, String boot, List<ByteRange> written, List<ByteRange> durable)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    if (boot != null) {
      sb.append("boot ").append(boot).append('\n');
      append(sb, "w ", written);
    }
    append(sb, "d ", durable);
    FileOps.writeAtomically(
        dir.resolve(IngestFiles.RANGES), sb.toString().getBytes(StandardCharsets.US_ASCII), false);
  }

  private static void append(StringBuilder sb, String tag, List<ByteRange> ranges) {
    for (ByteRange r : ranges) {
      sb.append(tag).append(r.start()).append(' ').append(r.end()).append('\n');
    }
  }

  /**
   * Removes the temporary files of replacements a killed writer left half done (a record per write
   * makes them likelier); deleting a name never follows a link.
   */
  static void sweepLeftovers(Path dir) throws IOException {
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(dir, IngestFiles.RANGES + ".*" + FileOps.TMP_SUFFIX)) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(IngestFiles.RANGES));
  }

  /**
   * The ranges to trust, for this boot, in a data file of {@code dataLength} bytes; null when there
   * is no file, empty lists for an unreadable or inconsistent one (the ingest starts over).
   */
  static Loaded read(Path dir, long dataLength) throws IOException {
    return read(dir, dataLength, BOOT_ID);
  }

  static Loaded read(Path dir, long dataLength, String currentBoot) throws IOException {
    String text = IngestFiles.readText(dir, IngestFiles.RANGES);
    if (text == null) {
      return null;
    }
    Loaded none = new Loaded(List.of(), List.of());
    String boot = null;
    List<ByteRange> written = new ArrayList<>();
    List<ByteRange> durable = new ArrayList<>();
    long lastWritten = -1;
    long lastDurable = -1;
    int count = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", -1);
      if (i == 0 && parts.length == 2 && parts[0].equals("boot")) {
        if (!isBootId(parts[1])) {
          return none;
        }
        boot = parts[1];
        continue;
      }
      boolean isWritten = parts.length == 3 && parts[0].equals("w");
      boolean isDurable = parts.length == 3 && parts[0].equals("d");
      if (++count > 2 * MAX_RANGES || !(isWritten || isDurable || parts.length == 2)) {
        return none;
      }
      long start;
      long end;
      try {
        start = Long.parseLong(parts[parts.length - 2]);
        end = Long.parseLong(parts[parts.length - 1]);
      } catch (NumberFormatException e) {
        return none;
      }
      long last = isWritten ? lastWritten : lastDurable;
      if (start <= last || end <= start) {
        return none; // out of order, overlapping, adjacent or empty: not written by us
      }
      if (isWritten) {
        lastWritten = end;
      } else {
        lastDurable = end;
      }
      if (start < dataLength) {
        (isWritten ? written : durable).add(new ByteRange(start, Math.min(end, dataLength)));
      }
    }
    if (boot != null && boot.equals(currentBoot)) {
      return new Loaded(union(written, durable), durable);
    }
    return new Loaded(durable, durable);
  }

  /** The union of two sorted disjoint lists, merged where ranges overlap or touch. */
  static List<ByteRange> union(List<ByteRange> a, List<ByteRange> b) {
    KeptRanges all = new KeptRanges();
    a.forEach(r -> all.add(r.start(), r.end()));
    b.forEach(r -> all.add(r.start(), r.end()));
    return all.withPrefix(0);
  }

  /** The contiguous prefix {@code ranges} describe: the end of a range starting at 0, else 0. */
  static long prefix(List<ByteRange> ranges) {
    return !ranges.isEmpty() && ranges.get(0).start() == 0 ? ranges.get(0).end() : 0;
  }
}
