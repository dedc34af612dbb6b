package dev.hoist.content.local.internal;

import dev.hoist.content.ByteRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The {@code ranges} file of an ingest whose bytes arrived out of order: one {@code start end} line
 * per range held (half-open, sorted, disjoint), the contiguous prefix included. It exists only
 * while an ingest holds bytes beyond its prefix; without it the prefix is the data file's length,
 * as in containerd. It is replaced atomically and written only after the data it names was forced
 * to disk, so a range it lists is never a hole; bytes of the data file outside its ranges are
 * ignored on resume (a writer killed between writing and recording them).
 */
public final class IngestRanges {

  /** More ranges than any writer keeps (a few per chunk in flight): the file is not ours. */
  static final int MAX_RANGES = 1024;

  private static final AtomicInteger COUNT = new AtomicInteger();

  /**
   * Runs the writers' background records (a data fsync, then the file): daemon threads, never
   * interrupted, so that a record cannot close a writer's channel.
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

  private IngestRanges() {}

  /** Replaces the file with {@code ranges}; the data they name is on disk already. */
  static void write(Path dir, List<ByteRange> ranges) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (ByteRange r : ranges) {
      sb.append(r.start()).append(' ').append(r.end()).append('\n');
    }
    // Not fsynced itself: losing the latest version after an OS crash only costs a re-fetch of
    // what it added, and the previous version names data that was forced before it was written.
    FileOps.writeAtomically(
        dir.resolve(IngestFiles.RANGES), sb.toString().getBytes(StandardCharsets.US_ASCII), false);
  }

  static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(IngestFiles.RANGES));
  }

  /**
   * The recorded ranges clipped to {@code dataLength}, an empty list for an unreadable or
   * inconsistent file (the ingest starts over), or null when there is no file.
   */
  static List<ByteRange> read(Path dir, long dataLength) throws IOException {
    String text = IngestFiles.readText(dir, IngestFiles.RANGES);
    if (text == null) {
      return null;
    }
    List<ByteRange> out = new ArrayList<>();
    long last = -1;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 2 || out.size() >= MAX_RANGES) {
        return List.of();
      }
      long start;
      long end;
      try {
        start = Long.parseLong(parts[0]);
        end = Long.parseLong(parts[1]);
      } catch (NumberFormatException e) {
        return List.of();
      }
      if (start <= last || end <= start) {
        return List.of(); // out of order, overlapping, adjacent or empty: not written by us
      }
      last = end;
      if (start < dataLength) {
        out.add(new ByteRange(start, Math.min(end, dataLength)));
      }
    }
    return out;
  }

  /** The contiguous prefix {@code ranges} describe: the end of a range starting at 0, else 0. */
  static long prefix(List<ByteRange> ranges) {
    return !ranges.isEmpty() && ranges.get(0).start() == 0 ? ranges.get(0).end() : 0;
  }
}
