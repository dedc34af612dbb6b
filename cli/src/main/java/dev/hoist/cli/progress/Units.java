package dev.hoist.cli.progress;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;

/** Human-readable byte counts (binary units, as {@code ctr} prints them), durations and rates. */
public final class Units {

  private Units() {}

  /**
   * A byte count: {@code 512 B}, {@code 1.5 KiB}, {@code 201.3 MiB}.
   *
   * @param n bytes
   * @return the count with a binary unit
   */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return oneDecimal(v) + " " + units[i];
  }

  /**
   * A duration in seconds with one decimal: {@code 3.2 s}.
   *
   * @param d the duration
   * @return the seconds
   */
  public static String seconds(Duration d) {
    return oneDecimal(d.toMillis() / 1000.0) + " s";
  }

  /**
   * {@code bytes} over {@code d} as a rate: {@code 62.9 MiB/s}.
   *
   * @param bytes bytes moved
   * @param d in this time
   * @return the rate; over less than a millisecond, the bytes count as moved in one
   */
  public static String rate(long bytes, Duration d) {
    return perSecond(bytes * 1000.0 / Math.max(1, d.toMillis()));
  }

  /**
   * A rate in bytes per second: {@code 62.9 MiB/s}.
   *
   * @param bytesPerSecond the rate
   * @return the rate with a binary unit
   */
  public static String perSecond(double bytesPerSecond) {
    return bytes((long) bytesPerSecond) + "/s";
  }

  /**
   * {@code v} with one decimal, rounded half up, as {@code String.format(Locale.ROOT, "%.1f", v)}
   * writes it, without {@code java.util.Formatter}: its first use costs a fresh JVM ~8 ms of locale
   * data, and every fetch prints sizes.
   *
   * @param v a finite number
   * @return e.g. {@code 201.3}
   */
  static String oneDecimal(double v) {
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).toPlainString();
  }

  /**
   * A short estimate of time left: {@code 7s}, {@code 3m05s}, {@code 2h10m}.
   *
   * @param seconds whole seconds
   * @return the compact duration
   */
  public static String eta(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
  }
}
