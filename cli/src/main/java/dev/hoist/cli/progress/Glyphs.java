package dev.hoist.cli.progress;

/**
 * How progress bars are drawn: with Unicode block elements (eight steps per cell) where the
 * terminal's character set has them, else with ASCII.
 */
public enum Glyphs {
  /** {@code |████▌ |}: smooth, for UTF-8 terminals. */
  UNICODE,
  /** {@code |++++----|}: for any other character set. */
  ASCII;

  private static final String EIGHTHS = " ▏▎▍▌▋▊▉";

  /**
   * A bar {@code cells} wide (plus its two ends) filled to {@code done / total}.
   *
   * @param done bytes so far
   * @param total bytes in all; 0 or less draws an empty bar
   * @param cells cells between the ends
   * @return the bar
   */
  public String bar(long done, long total, int cells) {
    StringBuilder b = new StringBuilder(cells + 2).append('|');
    long steps = this == UNICODE ? 8L * cells : cells;
    long filled =
        total <= 0 ? 0 : Math.min(steps, (long) (Math.max(0, done) / (double) total * steps));
    if (this == UNICODE) {
      int full = (int) (filled / 8);
      int part = (int) (filled % 8);
      b.append("█".repeat(full));
      if (full < cells) {
        b.append(part == 0 ? ' ' : EIGHTHS.charAt(part));
        b.append(" ".repeat(cells - full - 1));
      }
    } else {
      b.append("+".repeat((int) filled)).append("-".repeat(cells - (int) filled));
    }
    return b.append('|').toString();
  }

  /**
   * The mark of a shortened text, one cell wide.
   *
   * @return {@code …} or {@code ~}
   */
  public String ellipsis() {
    return this == UNICODE ? "…" : "~";
  }

  /**
   * The glyphs the JVM's native encoding can show: Unicode when the locale is UTF-8.
   *
   * @return {@link #UNICODE} or {@link #ASCII}
   */
  public static Glyphs forNativeEncoding() {
    String enc = System.getProperty("native.encoding", System.getProperty("file.encoding", ""));
    return enc.equalsIgnoreCase("UTF-8") || enc.equalsIgnoreCase("UTF8") ? UNICODE : ASCII;
  }
}
