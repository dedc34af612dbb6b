package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** Lexical handling of tar entry names, which are hostile input. */
public final class EntryNames {

  /**
   * The longest entry name accepted. Linux cannot create a path longer than 4096 bytes through one
   * system call anyway; the bound keeps resolution of absurd names from costing quadratic time.
   */
  static final int MAX_NAME = 16_384;

  private EntryNames() {}

  /**
   * Cleans {@code name} as containerd does ({@code filepath.Clean} of {@code "/" + name}): empty
   * and {@code .} components go, {@code ..} removes the previous component and stops at the root,
   * so an absolute name or one climbing out with {@code ../} is clamped inside the root. Returns
   * the components joined by {@code /} without a leading slash; {@code ""} is the root itself.
   *
   * @throws InvalidArgumentException if the name holds a NUL, which no file name can, or is longer
   *     than {@value #MAX_NAME} characters
   */
  public static String clean(String name) {
    if (name.length() > MAX_NAME) {
      throw new InvalidArgumentException(
          "tar entry " + quote(name) + ": name longer than " + MAX_NAME + " characters");
    }
    if (name.indexOf('\0') >= 0) {
      throw new InvalidArgumentException("tar entry " + quote(name) + ": NUL in name");
    }
    List<String> parts = new ArrayList<>();
    int start = 0;
    int len = name.length();
    while (start <= len) {
      int slash = name.indexOf('/', start);
      int end = slash < 0 ? len : slash;
      String c = name.substring(start, end);
      if (c.isEmpty() || c.equals(".")) {
        // skip
      } else if (c.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(c);
      }
      start = end + 1;
    }
    return String.join("/", parts);
  }

  /** Returns the part of a clean name before its last {@code /}, or {@code ""}. */
  public static String parent(String clean) {
    int slash = clean.lastIndexOf('/');
    return slash < 0 ? "" : clean.substring(0, slash);
  }

  /** Returns the part of a clean name after its last {@code /}. */
  public static String base(String clean) {
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  /** Joins a clean directory and a component. */
  public static String join(String dir, String child) {
    return dir.isEmpty() ? child : dir + "/" + child;
  }

  /** Quotes an entry name for a message: control characters escaped, at most 200 characters. */
  public static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
