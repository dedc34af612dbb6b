package dev.hoist.remotes.docker.config.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go's {@code time.ParseDuration} syntax ({@code "1s"}, {@code "1m30s"}, {@code "1.5h"},
 * {@code "250ms"}) used by {@code dial_timeout}.
 */
public final class GoDurations {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDurations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException when {@code text} is not a Go duration
   */
  public static Duration parse(String text) {
    String s = text.trim();
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      m.region(at, s.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException(
            "invalid duration \"" + text + "\" (expected e.g. 500ms, 1s, 1m30s)");
      }
      BigDecimal unit = BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)));
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
      at = m.end();
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }
}
