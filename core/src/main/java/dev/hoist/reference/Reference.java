package dev.hoist.reference;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;

/**
 * A parsed image reference, as containerd's {@code reference.Spec}: a {@code locator} ({@code
 * host[:port]/path}) and an {@code object} (a tag, {@code @digest}, or {@code tag@digest}). This
 * type does no Docker normalisation; see {@link DockerReferences#normalize(String)}.
 *
 * @param locator host and repository path, e.g. {@code docker.io/library/nginx}
 * @param object tag and/or digest, possibly empty; a digest keeps its leading {@code @}
 */
public record Reference(String locator, String object) {

  /**
   * Requires a locator; a null object becomes empty. Does not validate: see {@link #parse}.
   *
   * @param locator host and repository path, e.g. {@code docker.io/library/nginx}
   * @param object tag and/or digest, possibly empty; a digest keeps its leading {@code @}
   * @throws InvalidArgumentException when {@code locator} is null
   */
  public Reference {
    if (locator == null) {
      throw new InvalidArgumentException("invalid reference: null locator");
    }
    object = object == null ? "" : object;
  }

  /**
   * Parses {@code host[:port]/path[:tag][@digest]}: a host is required, no scheme is allowed, and
   * at least one of tag and digest must be present.
   *
   * <p>As containerd's {@code reference.Parse}, the host is the text before the first {@code /} and
   * the object starts at the first {@code :} or {@code @} after it. Hoist is stricter where
   * containerd's leniency would let a reference reach a URL unchecked: only printable ASCII is
   * accepted, the port must be numeric, path components may hold only {@code [A-Za-z0-9._-]} and
   * never be {@code ..}, the tag must match the distribution grammar ({@code
   * [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}) and the digest must be a valid {@link Digest}.
   *
   * @param s the reference text
   * @return the parsed reference
   * @throws InvalidArgumentException naming the input when it is malformed
   */
  public static Reference parse(String s) {
    if (s == null) {
      throw new InvalidArgumentException("invalid reference: null");
    }
    if (s.isEmpty()) {
      throw new InvalidArgumentException("invalid reference \"\": empty");
    }
    if (s.contains("://")) {
      throw new InvalidArgumentException(
          "invalid reference " + quote(s) + ": must not contain a scheme (://)");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new InvalidArgumentException(
            "invalid reference "
                + quote(s)
                + ": contains whitespace, a control or a non-ASCII character");
      }
    }
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": hostname required");
    }
    String host = s.substring(0, slash);
    checkHost(host, s);
    String path = s.substring(slash);
    String object = "";
    int split = indexOfAny(path, ":@");
    if (split >= 0) {
      object = path.substring(split);
      if (object.startsWith(":")) {
        object = object.substring(1);
      }
      path = path.substring(0, split);
    }
    String locator = host + cleanPath(path, s);
    if (locator.indexOf('/') < 0) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": repository required");
    }
    if (object.isEmpty()) {
      throw new InvalidArgumentException(
          "invalid reference " + quote(s) + ": tag or digest required");
    }
    Reference ref = new Reference(locator, object);
    String tag = ref.tag();
    if (tag != null && !isValidTag(tag)) {
      throw new InvalidArgumentException(
          "invalid reference "
              + quote(s)
              + ": invalid tag "
              + quote(tag)
              + " (must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
    }
    ref.digest(); // validates the digest part, if any
    return ref;
  }

  /** {@return the host part of the locator, with its port if any} */
  public String hostname() {
    int i = locator.indexOf('/');
    return i < 0 ? locator : locator.substring(0, i);
  }

  /** {@return the repository path, the locator without its host: {@code library/nginx}} */
  public String repository() {
    int i = locator.indexOf('/');
    return i < 0 ? "" : locator.substring(i + 1);
  }

  /** {@return the tag, or null when the object is only a digest} */
  public String tag() {
    int at = object.indexOf('@');
    String tag = at < 0 ? object : object.substring(0, at);
    return tag.isEmpty() ? null : tag;
  }

  /**
   * The digest, or null when the object has none.
   *
   * @return the digest, or null
   * @throws InvalidArgumentException when the digest part is malformed
   */
  public Digest digest() {
    // The first '@' starts the digest, as containerd's SplitObject; a second one makes it invalid.
    int at = object.indexOf('@');
    if (at < 0) {
      return null;
    }
    try {
      return Digest.parse(object.substring(at + 1));
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(
          "invalid reference " + quote(toString()) + ": " + e.getMessage(), e);
    }
  }

  /**
   * This reference with its tag dropped and {@code digest} as its object.
   *
   * @param digest the digest to pin
   * @return a copy with {@code @digest} as its object
   * @throws InvalidArgumentException when {@code digest} is null
   */
  public Reference withDigest(Digest digest) {
    if (digest == null) {
      throw new InvalidArgumentException("reference " + quote(toString()) + ": null digest");
    }
    return new Reference(locator, "@" + digest);
  }

  @Override
  public String toString() {
    if (object.isEmpty()) {
      return locator;
    }
    return object.startsWith("@") ? locator + object : locator + ":" + object;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String cleanPath(String path, String input) {
    // Mirrors Go's path.Join(host, path): collapses repeated slashes and drops a trailing one.
    // Unlike path.Join, ".." is refused rather than resolved.
    StringBuilder b = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(input) + ": path contains ..");
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
          throw new InvalidArgumentException(
              "invalid reference "
                  + quote(input)
                  + ": invalid character '"
                  + c
                  + "' in repository path");
        }
      }
      b.append('/').append(part);
    }
    return b.toString();
  }

  private static void checkHost(String host, String input) {
    String name = host;
    String port = null;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(input) + ": unclosed [ in host");
      }
      String ip = host.substring(1, close);
      if (ip.isEmpty() || !ip.chars().allMatch(c -> isHexDigit((char) c) || c == ':' || c == '.')) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(input) + ": invalid IPv6 host");
      }
      String rest = host.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InvalidArgumentException(
              "invalid reference " + quote(input) + ": invalid host " + quote(host));
        }
        port = rest.substring(1);
      }
    } else {
      int colon = host.indexOf(':');
      if (colon >= 0) {
        name = host.substring(0, colon);
        port = host.substring(colon + 1);
      }
      if (name.isEmpty()
          || !name.chars().allMatch(c -> isAlnum((char) c) || c == '.' || c == '-' || c == '_')) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(input) + ": invalid host " + quote(host));
      }
    }
    if (port != null && !isValidPort(port)) {
      throw new InvalidArgumentException(
          "invalid reference " + quote(input) + ": invalid port " + quote(port));
    }
  }

  private static boolean isValidPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return Integer.parseInt(port) <= 65535;
  }

  /** The distribution (and OCI distribution spec) tag grammar: {@code [\w][\w.-]{0,127}}. */
  static boolean isValidTag(String tag) {
    if (tag.isEmpty() || tag.length() > 128) {
      return false;
    }
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      boolean word = isAlnum(c) || c == '_';
      if (!(word || (i > 0 && (c == '.' || c == '-')))) {
        return false;
      }
    }
    return true;
  }

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static String quote(String s) {
    String shown = s.length() > 256 ? s.substring(0, 256) + "…" : s;
    StringBuilder b = new StringBuilder("\"");
    for (char c : shown.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.append('"').toString();
  }
}
