package dev.hoist.cli;

import dev.hoist.errors.InvalidArgumentException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations on the command line in Go's short form, as ctr takes them: {@code 90s}, {@code 2m},
 * {@code 1m30s}, {@code 500ms}.
 */
final class CliDurations {

  private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private CliDurations() {}

  /**
   * Parses {@code text} given for {@code option}.
   *
   * @throws InvalidArgumentException naming the option and the text when it is not a duration
   */
  static Duration parse(String option, String text) {
    if (!WHOLE.matcher(text).matches()) {
      throw new InvalidArgumentException(
          option + " needs a duration such as 30s, 2m or 1m30s, got \"" + printable(text) + "\"");
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
    }
    return d;
  }

  private static String printable(String s) {
    String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return t.replaceAll("[\\p{Cntrl}]", "?");
  }
}
