package dev.hoist.cli.progress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Formats a {@link FetchProgress} snapshot as the lines of the live table: a header (reference,
 * bytes done of bytes expected, rate, ETA), one row per blob, and, when the blobs do not fit the
 * terminal's height, the active ones and a line counting the rest ({@code + 52 done, 3 waiting}).
 *
 * <p>No line is wider than the terminal (a wrapped line would break the in-place redraw): the key
 * column and the bar shrink first, and anything still too wide is cut.
 */
public final class ProgressTable {

  private static final int STATE = 11; // "downloading"
  private static final int MAX_BAR = 40;
  private static final int MIN_BAR = 10;

  private ProgressTable() {}

  /**
   * The table's lines for a terminal of {@code size}.
   *
   * @param p the fetch
   * @param size the terminal; the table uses at most {@code rows - 1} lines so the cursor's line
   *     stays free
   * @param glyphs how bars are drawn
   * @return the lines, none wider than {@code size.columns()} code points
   */
  public static List<String> lines(FetchProgress p, TerminalSize size, Glyphs glyphs) {
    int width = size.columns();
    List<BlobRow> rows = p.rows();
    List<String> out = new ArrayList<>();
    out.add(clip(header(p, rows, width, glyphs), width));

    int maxLines = Math.max(1, size.rows() - 1);
    List<BlobRow> shown = rows;
    String rest = null;
    if (1 + rows.size() > maxLines) {
      int slots = maxLines - 2;
      shown = slots > 0 ? mostActive(rows, slots) : List.of();
      rest = slots >= 0 ? hidden(rows, shown) : null;
    }
    int keyWidth = 12;
    int sizesWidth = 0;
    for (BlobRow r : shown) {
      keyWidth = Math.max(keyWidth, shortKey(r.key()).length() + 1);
      // Room for the widest the sizes can get before the row finishes ("1023.9 KiB/2.0 MiB"), so
      // the bar keeps its width while offsets grow.
      int widest =
          r.state().finished() || r.total() < 0
              ? sizes(r).length()
              : 10 + 1 + Units.bytes(r.total()).length();
      sizesWidth = Math.max(sizesWidth, widest);
    }
    int fixed = 1 + STATE + 1 + 2 + (sizesWidth == 0 ? 0 : 1 + sizesWidth);
    int bar = Math.min(MAX_BAR, width - fixed - keyWidth);
    if (bar < MIN_BAR) {
      bar = MIN_BAR;
      keyWidth = Math.max(8, width - fixed - bar);
    }
    for (BlobRow r : shown) {
      String line =
          pad(cut(shortKey(r.key()) + ":", keyWidth, glyphs), keyWidth)
              + " "
              + pad(r.label(), STATE)
              + " "
              + glyphs.bar(r.offset(), r.total(), bar)
              + " "
              + sizes(r);
      out.add(clip(line.stripTrailing(), width));
    }
    if (rest != null) {
      out.add(clip(rest, width));
    }
    return out;
  }

  private static String header(FetchProgress p, List<BlobRow> rows, int width, Glyphs glyphs) {
    String stats;
    if (!"resolved".equals(p.refState())) {
      stats = p.refState();
    } else {
      long expected = 0;
      long done = 0;
      boolean active = false;
      for (BlobRow r : rows) {
        expected += Math.max(0, r.total());
        done +=
            r.state() == BlobState.DONE || r.state() == BlobState.EXISTS
                ? r.total()
                : Math.max(0, r.offset());
        active |= !r.state().finished() || r.unpack() == UnpackState.UNPACKING;
      }
      double rate = p.recentRate();
      String tail;
      if (!active) {
        // Finished: the rate of the whole fetch, as the summary line gives it.
        rate = p.transferred() * 1000.0 / Math.max(1, p.elapsed().toMillis());
        tail = "elapsed " + Units.seconds(p.elapsed());
      } else if (rate >= 1) {
        tail = "ETA " + Units.eta((long) Math.ceil((expected - done) / rate));
      } else {
        tail = "ETA --";
      }
      stats =
          Units.bytes(done)
              + " / "
              + Units.bytes(expected)
              + "  "
              + Units.perSecond(rate)
              + "  "
              + tail;
    }
    int room = width - stats.length() - 2;
    String ref = p.ref();
    if (ref.length() > room) {
      // Keep the end of the reference (repository and tag) rather than the registry's host.
      ref = room > 1 ? glyphs.ellipsis() + ref.substring(ref.length() - (room - 1)) : "";
    }
    return ref.isEmpty() ? stats : ref + "  " + stats;
  }

  /**
   * Up to {@code slots} rows, the busiest first (downloading, failed, waiting, finished), in table
   * order.
   */
  private static List<BlobRow> mostActive(List<BlobRow> rows, int slots) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.comparingInt((Integer i) -> rank(rows.get(i).state())).thenComparingInt(i -> i));
    List<Integer> picked = new ArrayList<>(order.subList(0, Math.min(slots, order.size())));
    picked.sort(null);
    List<BlobRow> out = new ArrayList<>(picked.size());
    picked.forEach(i -> out.add(rows.get(i)));
    return out;
  }

  private static int rank(BlobState s) {
    switch (s) {
      case DOWNLOADING:
        return 0;
      case FAILED:
        return 1;
      case WAITING:
        return 2;
      default:
        return 3;
    }
  }

  /** The summary line for the rows not shown: {@code + 52 done, 3 waiting}. */
  private static String hidden(List<BlobRow> rows, List<BlobRow> shown) {
    int done = 0;
    int waiting = 0;
    int downloading = 0;
    int failed = 0;
    int seen = 0;
    for (BlobRow r : rows) {
      if (seen < shown.size() && shown.get(seen) == r) {
        seen++;
        continue;
      }
      switch (r.state()) {
        case DONE:
        case EXISTS:
          done++;
          break;
        case WAITING:
          waiting++;
          break;
        case DOWNLOADING:
          downloading++;
          break;
        default:
          failed++;
      }
    }
    List<String> parts = new ArrayList<>();
    if (downloading > 0) {
      parts.add(downloading + " downloading");
    }
    if (failed > 0) {
      parts.add(failed + " failed");
    }
    if (done > 0) {
      parts.add(done + " done");
    }
    if (waiting > 0) {
      parts.add(waiting + " waiting");
    }
    return "+ " + String.join(", ", parts);
  }

  private static String sizes(BlobRow r) {
    if (r.total() < 0) {
      return "";
    }
    return r.state() == BlobState.DOWNLOADING
        ? Units.bytes(r.offset()) + "/" + Units.bytes(r.total())
        : Units.bytes(r.total());
  }

  static String shortKey(String key) {
    // "layer-sha256:<64 hex>" is wider than a terminal column needs; ctr keeps the full digest,
    // we keep 12 hex digits like `docker images` does (plain mode and JSON keep them whole).
    int colon = key.indexOf(':');
    if (colon > 0 && key.length() > colon + 13) {
      return key.substring(0, colon + 13);
    }
    return key;
  }

  private static String pad(String s, int width) {
    int n = s.codePointCount(0, s.length());
    return n >= width ? s : s + " ".repeat(width - n);
  }

  private static String cut(String s, int width, Glyphs glyphs) {
    return s.length() > width ? s.substring(0, Math.max(0, width - 1)) + glyphs.ellipsis() : s;
  }

  /** {@code s} cut to {@code width} code points. */
  static String clip(String s, int width) {
    if (s.codePointCount(0, s.length()) <= width) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, Math.max(0, width)));
  }
}
