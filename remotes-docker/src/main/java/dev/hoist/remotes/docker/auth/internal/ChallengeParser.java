package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.remotes.docker.auth.Challenge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linear-time parser for one {@code WWW-Authenticate} value: {@code challenge *( "," challenge )}
 * where {@code challenge = scheme [ 1*SP ( token68 / #auth-param ) ]}. Stops at the first malformed
 * part and returns the challenges (and parameters) read before it.
 */
public final class ChallengeParser {

  private static final int MAX_PARAMS = 64;

  private final String s;
  private int pos;

  private ChallengeParser(String s) {
    this.s = s;
  }

  /** Parses one header value. Never throws for malformed input. */
  public static List<Challenge> parse(String value) {
    return new ChallengeParser(value).challenges();
  }

  private List<Challenge> challenges() {
    List<Challenge> out = new ArrayList<>();
    while (true) {
      skipListSeparators();
      if (atEnd()) {
        return out;
      }
      String scheme = token();
      if (scheme.isEmpty() || (!atEnd() && peek() != ' ' && peek() != '\t' && peek() != ',')) {
        return out; // malformed: no token where a scheme must be, or one glued to a separator
      }
      Map<String, String> params = new LinkedHashMap<>();
      boolean ok = params(params);
      out.add(new Challenge(scheme, params));
      if (!ok) {
        return out;
      }
    }
  }

  /**
   * Reads the parameters of one challenge. Returns false when it met a malformed part (the caller
   * then stops), true when the value ended or the next challenge begins at {@link #pos}.
   */
  private boolean params(Map<String, String> params) {
    if (atEnd()) {
      return true;
    }
    skipWhitespace();
    if (skipToken68()) {
      return true;
    }
    boolean first = true;
    while (true) {
      skipWhitespace();
      if (atEnd()) {
        return true;
      }
      if (peek() == ',') {
        pos++;
        first = false;
        continue;
      }
      int start = pos;
      String key = token();
      if (key.isEmpty()) {
        return false;
      }
      skipWhitespace();
      if (atEnd() || peek() != '=') {
        if (first) {
          return false; // "Scheme a b": neither a parameter nor a token68
        }
        pos = start; // a token after a comma not followed by '=': the next challenge's scheme
        return true;
      }
      pos++; // '='
      skipWhitespace();
      String value;
      if (!atEnd() && peek() == '"') {
        value = quoted();
        if (value == null) {
          return false;
        }
      } else {
        value = token();
        if (value.isEmpty()) {
          return false;
        }
      }
      if (params.size() >= MAX_PARAMS) {
        return false;
      }
      params.putIfAbsent(key, value);
      first = false;
      skipWhitespace();
      if (atEnd()) {
        return true;
      }
      if (peek() != ',') {
        return false;
      }
    }
  }

  /** Consumes a token68 if one stands alone here (followed by the end or a comma). */
  private boolean skipToken68() {
    int p = pos;
    while (p < s.length() && isToken68Char(s.charAt(p))) {
      p++;
    }
    if (p == pos) {
      return false;
    }
    while (p < s.length() && s.charAt(p) == '=') {
      p++;
    }
    int q = p;
    while (q < s.length() && (s.charAt(q) == ' ' || s.charAt(q) == '\t')) {
      q++;
    }
    if (q == s.length() || (s.charAt(q) == ',' && startsChallenge(q + 1))) {
      pos = q;
      return true;
    }
    return false;
  }

  /**
   * True when a new challenge ({@code token} then whitespace, a comma or the end) starts at {@code
   * p}.
   */
  private boolean startsChallenge(int p) {
    while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t' || s.charAt(p) == ',')) {
      p++;
    }
    int start = p;
    while (p < s.length() && isTokenChar(s.charAt(p))) {
      p++;
    }
    if (p == start) {
      return p == s.length();
    }
    return p == s.length() || s.charAt(p) == ' ' || s.charAt(p) == '\t' || s.charAt(p) == ',';
  }

  /** Reads a quoted-string after its opening quote; null if unterminated. */
  private String quoted() {
    pos++; // opening quote
    StringBuilder b = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          return null;
        }
        c = s.charAt(pos++);
      }
      b.append(c);
    }
    return null;
  }

  private String token() {
    int start = pos;
    while (pos < s.length() && isTokenChar(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private void skipWhitespace() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private void skipListSeparators() {
    while (pos < s.length()
        && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= s.length();
  }

  private char peek() {
    return s.charAt(pos);
  }

  /** RFC 2616 token: CHAR except CTLs and separators. */
  static boolean isTokenChar(char c) {
    if (c <= 31 || c >= 127) {
      return false;
    }
    return "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || c == '+'
        || c == '/';
  }
}
