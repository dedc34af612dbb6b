package dev.hoist.reference;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import java.util.Objects;

/**
 * A parsed image reference, as containerd's {@code reference.Spec}: a {@code locator} ({@code
 * host[:port]/path}) and an {@code object} (a tag, {@code @digest}, or {@code tag@digest}).
 * This type does no Docker normalisation; see {@link DockerReferences#normalize(String)}.
 *
 * @param locator host and repository path, e.g. {@code docker.io/library/nginx}
 * @param object tag and/or digest, possibly empty; a digest keeps its leading {@code @}
 */
public record Reference(String locator, String object) {

  public Reference {
    Objects.requireNonNull(locator, "locator");
    object = object == null ? "" : object;
  }

  /**
   * Parses {@code host[:port]/path[:tag][@digest]}. The host is required; no scheme is allowed.
   *
   * @throws InvalidArgumentException naming the input when it is malformed
   */
  public static Reference parse(String s) {
    if (s == null || s.isEmpty()) {
      throw new InvalidArgumentException("invalid reference \"\": empty");
    }
    if (s.contains("://")) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": must not contain a scheme (://)");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(s) + ": contains whitespace or a control character");
      }
    }
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": hostname required");
    }
    String host = s.substring(0, slash);
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
    String locator = host + cleanPath(path);
    Reference ref = new Reference(locator, object);
    if (ref.locator.endsWith("/") || ref.locator.indexOf('/') < 0) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": repository required");
    }
    if (object.isEmpty()) {
      throw new InvalidArgumentException("invalid reference " + quote(s) + ": tag or digest required");
    }
    ref.digest(); // validates the digest part, if any
    return ref;
  }

  /** The host part of the locator, with its port if any. */
  public String hostname() {
    int i = locator.indexOf('/');
    return i < 0 ? locator : locator.substring(0, i);
  }

  /** The repository path, the locator without its host: {@code library/nginx}. */
  public String repository() {
    int i = locator.indexOf('/');
    return i < 0 ? "" : locator.substring(i + 1);
  }

  /** The tag, or null when the object is only a digest. */
  public String tag() {
    int at = object.lastIndexOf('@');
    String tag = at < 0 ? object : object.substring(0, at);
    return tag.isEmpty() ? null : tag;
  }

  /**
   * The digest, or null when the object has none.
   *
   * @throws InvalidArgumentException when the digest part is malformed
   */
  public Digest digest() {
    int at = object.lastIndexOf('@');
    if (at < 0) {
      return null;
    }
    try {
      return Digest.parse(object.substring(at + 1));
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("invalid reference " + quote(toString()) + ": " + e.getMessage(), e);
    }
  }

  /** This reference with its tag dropped and {@code digest} as its object. */
  public Reference withDigest(Digest digest) {
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

  private static String cleanPath(String path) {
    // Mirrors Go's path.Join(host, path): collapses repeated slashes and drops a trailing one.
    StringBuilder b = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new InvalidArgumentException("invalid reference path " + quote(path) + ": contains ..");
      }
      b.append('/').append(part);
    }
    return b.toString();
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
