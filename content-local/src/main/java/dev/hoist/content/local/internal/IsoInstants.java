package dev.hoist.content.local.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} and {@link Instant#parse} for the times the store writes (labels
 * files, {@code index.json}), without {@code java.time.format}: setting up its formatters costs a
 * fresh JVM about 8 ms on the first blob a fetch commits. Same text both ways for years 0–9999;
 * anything else goes to the JDK.
 */
final class IsoInstants {

  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
  private static final long YEAR_0 = -62_167_219_200L;

  private static final long YEAR_10000 = 253_402_300_800L;

  private IsoInstants() {}

  /**
   * The text {@link Instant#toString()} gives.
   *
   * @param t the instant
   * @return e.g. {@code 2026-12-06T22:04:12.031827467Z}
   */
  static String format(Instant t) {
    long s = t.getEpochSecond();
    if (s < YEAR_0 || s >= YEAR_10000) {
      return t.toString();
    }
    LocalDateTime d = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(30);
    pad(b, d.getYear(), 4).append('-');
    pad(b, d.getMonthValue(), 2).append('-');
    pad(b, d.getDayOfMonth(), 2).append('T');
    pad(b, d.getHour(), 2).append(':');
    pad(b, d.getMinute(), 2).append(':');
    pad(b, d.getSecond(), 2);
    int nano = t.getNano();
    // As ISO_INSTANT: the fraction in groups of three digits, as many as it needs.
    if (nano > 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        pad(b, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(b, nano / 1000, 6);
      } else {
        pad(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  /**
   * Reads what {@link #format} writes ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}); other text goes to
   * {@link Instant#parse}.
   *
   * @param s the text
   * @return the instant
   * @throws DateTimeException when it is not an instant
   */
  static Instant parse(String s) {
    Instant t = parseWritten(s);
    return t != null ? t : Instant.parse(s);
  }

  /**
   * Reads exactly the form {@link #format} writes for years 0 to 9999, without {@code
   * java.time.format}.
   *
   * @param s the text
   * @return the instant, or null when {@code s} is not in that form (or is 24:00 or a leap second)
   * @throws DateTimeException when it has that form but no such date exists (February 30)
   */
  static Instant parseWritten(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int nano = 0;
    if (n > 20) {
      int digits = n - 21;
      if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
        return null;
      }
      int f = digits(s, 20, n - 1);
      if (f < 0) {
        return null;
      }
      for (int i = digits; i < 9; i++) {
        f *= 10;
      }
      nano = f;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    if (hour > 23 || second > 59) {
      return null; // 24:00 and leap seconds, which the JDK's parsers also read
    }
    // LocalDateTime.of checks the ranges (month 13, February 30, hour 24) as the JDK's parser does.
    LocalDateTime d = LocalDateTime.of(year, month, day, hour, minute, second);
    return Instant.ofEpochSecond(d.toEpochSecond(ZoneOffset.UTC), nano);
  }

  /** The decimal value of s[from, to), or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static StringBuilder pad(StringBuilder b, int v, int width) {
    String digits = Integer.toString(v);
    for (int i = digits.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(digits);
  }
}
