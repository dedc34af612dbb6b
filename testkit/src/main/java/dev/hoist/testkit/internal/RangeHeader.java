package dev.hoist.testkit.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range from a {@code Range} header: {@code bytes=N-}, {@code bytes=N-M} or the
 * suffix form {@code bytes=-S}. Anything else (several ranges, other units, garbage) is ignored, as
 * RFC 9110 allows, and the whole body is served.
 */
public final class RangeHeader {

  private static final Pattern ONE = Pattern.compile("^bytes=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*$");

  /** Inclusive first and last byte; {@code unsatisfiable} when no byte of the blob is in range. */
  public static final class Span {
    public final long first;
    public final long last;
    public final boolean unsatisfiable;

    Span(long first, long last, boolean unsatisfiable) {
      this.first = first;
      this.last = last;
      this.unsatisfiable = unsatisfiable;
    }

    public long length() {
      return last - first + 1;
    }
  }

  private RangeHeader() {}

  /**
   * The span {@code header} asks for in a body of {@code size} bytes, or null to serve it whole.
   */
  public static Span parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = ONE.matcher(header);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          return new Span(0, -1, true);
        }
        return new Span(Math.max(0, size - suffix), size - 1, false);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
        return new Span(first, -1, true); // last before first: invalid, refused like unsatisfiable
      }
      if (first >= size) {
        return new Span(first, -1, true);
      }
      return new Span(first, last, false);
    } catch (NumberFormatException e) {
      return null; // more digits than a long: treat as no range
    }
  }
}
