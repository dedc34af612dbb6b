package dev.hoist.errors.internal;

import java.util.regex.Pattern;

/**
 * Makes text a server chose (a {@code WWW-Authenticate} realm, a token server's error, a registry's
 * error message, a header value) fit for an exception message or a log line. Every place where
 * server text enters a message goes through here, so that one rule holds everywhere:
 *
 * <ul>
 *   <li>credentials in forms a server may echo are replaced by {@code ***}: {@code Bearer …} and
 *       {@code Basic …} values, JSON Web Tokens ({@code eyJ…}), and the values of {@code token},
 *       {@code access_token}, {@code refresh_token}, {@code password} and {@code secret} fields
 *       (JSON or form encoded). Callers that know the exact secrets they sent remove those first;
 *   <li>C0 controls (U+0000–U+001F, tab and newline included), DEL, C1 controls (U+0080–U+009F),
 *       the line and paragraph separators and the bidirectional overrides become a space: an ESC or
 *       CSI sequence cannot clear the screen, set the window title or fake a prompt, and a message
 *       stays one line;
 *   <li>the result is at most {@code maxChars} characters plus an ellipsis, so a 30 KB realm cannot
 *       become a 30 KB line.
 * </ul>
 */
public final class ServerText {

  /** The default cap: enough for any honest realm, error code or description. */
  public static final int DEFAULT_MAX_CHARS = 200;

  /**
   * Work is bounded before the patterns run: text beyond the cap plus this margin is never looked
   * at (a long secret cut at the margin is still matched by its prefix).
   */
  private static final int SCAN_MARGIN = 4096;

  /**
   * A scheme and a value of 8 or more token characters with at least one capital, digit, {@code +},
   * {@code /} or {@code =}, so that prose such as "basic authentication required" stays readable.
   */
  private static final Pattern AUTH_VALUE =
      Pattern.compile(
          "\\b((?i:bearer|basic))(\\s+)(?=[A-Za-z0-9._~+/=-]{8,})(?=[a-z._~-]*[A-Z0-9+/=])[A-Za-z0-9._~+/=-]+");

  private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}(\\.[A-Za-z0-9_-]*)*");
  private static final Pattern JSON_FIELD =
      Pattern.compile(
          "(?i)(\"(?:access_token|refresh_token|id_token|token|password|secret)\"\\s*:\\s*\")[^\"]*(\")");
  private static final Pattern FORM_FIELD =
      Pattern.compile(
          "(?i)\\b(access_token|refresh_token|id_token|token|password|secret)=[^&\\s\"']+");

  private ServerText() {}

  /** As {@link #clean(String, int)} with {@link #DEFAULT_MAX_CHARS}. */
  public static String clean(String text) {
    return clean(text, DEFAULT_MAX_CHARS);
  }

  /**
   * The text with credentials redacted, controls replaced by spaces and the length capped.
   *
   * @param text nullable: null gives the empty string
   * @param maxChars the most characters kept before the ellipsis; at least 1
   * @return one printable line
   */
  public static String clean(String text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
    }
    if (text == null || text.isEmpty()) {
      return "";
    }
    boolean preCut = text.length() > maxChars + SCAN_MARGIN;
    String s = preCut ? text.substring(0, maxChars + SCAN_MARGIN) : text;
    s = redactCredentials(s);
    StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars) + 1);
    int i = 0;
    for (; i < s.length() && b.length() < maxChars; i++) {
      char c = s.charAt(i);
      if (isUnsafe(c)) {
        b.append(' ');
      } else if (Character.isHighSurrogate(c) && b.length() == maxChars - 1) {
        break; // never cut a pair in half
      } else {
        b.append(c);
      }
    }
    if (preCut || i < s.length()) {
      b.append('\u2026');
    }
    return b.toString();
  }

  /** The text with credential-shaped values replaced by {@code ***}; nothing else changes. */
  public static String redactCredentials(String text) {
    if (text == null) {
      return "";
    }
    String s = AUTH_VALUE.matcher(text).replaceAll("$1$2***");
    s = JWT.matcher(s).replaceAll("***");
    s = JSON_FIELD.matcher(s).replaceAll("$1***$2");
    return FORM_FIELD.matcher(s).replaceAll("$1=***");
  }

  /**
   * Whether {@code c} must not reach a terminal or log: controls, separators, bidi overrides.
   *
   * @param c a character of server (or user) text
   * @return true for C0, DEL, C1, U+2028/2029 and the bidirectional controls
   */
  public static boolean isUnsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c';
  }
}
