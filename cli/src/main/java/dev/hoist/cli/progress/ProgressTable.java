package dev.hoist.cli.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats a {@link FetchProgress} snapshot as the lines of a {@code ctr content fetch}-style table. */
public final class ProgressTable {

  private static final int BAR = 40;

  private ProgressTable() {}

  /** The table's lines: the reference, one per blob, and a footer. */
  public static List<String> lines(FetchProgress p, int width) {
    List<BlobRow> rows = p.rows();
    int keyWidth = Math.max(p.ref().length(), 12);
    for (BlobRow r : rows) {
      keyWidth = Math.max(keyWidth, shortKey(r.key()).length());
    }
    keyWidth = Math.min(keyWidth + 1, Math.max(20, width - BAR - 40));
    List<String> out = new ArrayList<>(rows.size() + 2);
    out.add(row(p.ref() + ":", keyWidth, p.refState(), bar(p.refState().equals("resolved") ? 1 : 0, 1), ""));
    for (BlobRow r : rows) {
      String sizes =
          r.state() == BlobState.DOWNLOADING
              ? Units.bytes(r.offset()) + "/" + Units.bytes(r.total())
              : "";
      out.add(row(shortKey(r.key()) + ":", keyWidth, r.state().label(), bar(r.offset(), r.total()), sizes));
    }
    Duration e = p.elapsed();
    double secs = Math.max(e.toMillis(), 1) / 1000.0;
    out.add(
        String.format(
            Locale.ROOT,
            "elapsed: %.1f s%stotal: %s (%s/s)",
            secs,
            " ".repeat(Math.max(1, keyWidth + 16 + BAR - 14 - String.format(Locale.ROOT, "%.1f", secs).length())),
            Units.bytes(p.transferred()),
            Units.bytes((long) (p.transferred() / secs))));
    return out;
  }

  static String shortKey(String key) {
    // "layer-sha256:<64 hex>" is wider than a terminal column needs; ctr keeps the full digest,
    // we keep 12 hex digits like `docker images` does.
    int colon = key.indexOf(':');
    if (colon > 0 && key.length() > colon + 13) {
      return key.substring(0, colon + 13);
    }
    return key;
  }

  private static String row(String key, int keyWidth, String state, String bar, String sizes) {
    String k = key.length() > keyWidth ? key.substring(0, keyWidth - 1) + "…" : key;
    return String.format(Locale.ROOT, "%-" + keyWidth + "s %-12s %s %s", k, state, bar, sizes).stripTrailing();
  }

  static String bar(long done, long total) {
    int filled = total <= 0 ? 0 : (int) Math.min(BAR, done * BAR / total);
    return "|" + "+".repeat(filled) + "-".repeat(BAR - filled) + "|";
  }
}
