package dev.hoist.reference;

import static dev.hoist.reference.Reference.quote;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import java.util.Locale;

/**
 * Docker's reference normalisation, with docker/distribution's reference grammar: {@code nginx} →
 * {@code docker.io/library/nginx:latest}, {@code user/app} → {@code docker.io/user/app:latest},
 * {@code index.docker.io/x} → {@code docker.io/library/x:latest}.
 *
 * <p>The first path component is a registry host when it contains a {@code .} or a {@code :}, is
 * {@code localhost}, or has an upper-case letter (as distribution's {@code splitDockerDomain});
 * otherwise the host is {@code docker.io}. A reference with neither tag nor digest gets the tag
 * {@code latest}; a reference with both keeps both (unlike containerd's {@code ParseDockerRef},
 * which drops the tag).
 *
 * <p>Malformed input is refused with an {@link InvalidArgumentException} naming it: an upper-case
 * repository ("repository name must be lowercase"), a tag outside {@code [\w][\w.-]{0,127}}, a name
 * longer than 255 characters (counted after normalisation, as distribution does), a bad path
 * component or host, an empty name, a bad digest, a scheme ({@code ://}), whitespace, control or
 * non-ASCII characters, and a bare 64-hex-digit string (an image ID, not a name).
 */
public final class DockerReferences {

  /** The registry a name without a host refers to. */
  public static final String DEFAULT_DOMAIN = "docker.io";

  /** The tag a reference without tag or digest gets. */
  public static final String DEFAULT_TAG = "latest";

  /** distribution's {@code NameTotalLengthMax}. */
  static final int NAME_TOTAL_LENGTH_MAX = 255;

  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_REPO_PREFIX = "library/";

  private DockerReferences() {}

  /**
   * Normalises a familiar Docker reference to a full one and parses it.
   *
   * @param s a reference as users write it, e.g. {@code nginx} or {@code ghcr.io/o/r:tag}
   * @return the full reference, e.g. {@code docker.io/library/nginx:latest}
   * @throws InvalidArgumentException naming the input when it is malformed
   */
  public static Reference normalize(String s) {
    if (s == null) {
      throw new InvalidArgumentException("invalid reference: null");
    }
    if (s.isEmpty()) {
      throw new InvalidArgumentException("invalid reference \"\": empty");
    }
    if (s.contains("://")) {
      throw invalid(s, "must not contain a scheme (://)");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw invalid(s, "contains whitespace, a control or a non-ASCII character");
      }
    }
    if (s.length() == 64
        && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw invalid(s, "cannot specify 64-byte hexadecimal strings as a repository name");
    }

    String domain = DEFAULT_DOMAIN;
    String remainder = s;
    int slash = s.indexOf('/');
    if (slash >= 0 && isDomainLike(s.substring(0, slash))) {
      domain = s.substring(0, slash);
      remainder = s.substring(slash + 1);
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }

    String digestText = null;
    String nameAndTag = remainder;
    int at = remainder.indexOf('@');
    if (at >= 0) {
      digestText = remainder.substring(at + 1);
      nameAndTag = remainder.substring(0, at);
    }
    String path = nameAndTag;
    String tag = null;
    // Path components cannot hold ':', so the first one (after the host) starts the tag.
    int colon = nameAndTag.indexOf(':');
    if (colon >= 0) {
      tag = nameAndTag.substring(colon + 1);
      path = nameAndTag.substring(0, colon);
    }
    if (domain.equals(DEFAULT_DOMAIN) && !path.isEmpty() && path.indexOf('/') < 0) {
      path = OFFICIAL_REPO_PREFIX + path;
    }

    if (!domain.equals(DEFAULT_DOMAIN)) {
      checkDomain(domain, s);
    }
    checkPath(path, s);
    String name = domain + "/" + path;
    if (name.length() > NAME_TOTAL_LENGTH_MAX) {
      throw invalid(
          s, "repository name must not be more than " + NAME_TOTAL_LENGTH_MAX + " characters");
    }
    if (tag != null && !Reference.isValidTag(tag)) {
      throw invalid(s, "invalid tag " + quote(tag) + " (must match [\\w][\\w.-]{0,127})");
    }
    Digest digest = null;
    if (digestText != null) {
      try {
        digest = Digest.parse(digestText);
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException(
            "invalid reference " + quote(s) + ": " + e.getMessage(), e);
      }
    }

    String object;
    if (digest == null) {
      object = tag == null ? DEFAULT_TAG : tag;
    } else {
      object = (tag == null ? "" : tag) + "@" + digest;
    }
    return new Reference(name, object);
  }

  /**
   * {@link #normalize(String)} as a string, e.g. {@code docker.io/library/nginx:latest}.
   *
   * @param s a reference as users write it
   * @return the full reference's text
   * @throws InvalidArgumentException naming the input when it is malformed
   */
  public static String normalizeName(String s) {
    return normalize(s).toString();
  }

  /** distribution's test for whether the first component names a registry host. */
  private static boolean isDomainLike(String first) {
    return first.indexOf('.') >= 0
        || first.indexOf(':') >= 0
        || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  /**
   * {@code host[:port]}: host is dot-separated {@code [A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?}
   * components or a bracketed IPv6 literal {@code [hex and colons]}; the port is digits.
   */
  private static void checkDomain(String domain, String input) {
    String host = domain;
    String port = null;
    if (domain.startsWith("[")) {
      int close = domain.indexOf(']');
      String ip = close < 0 ? "" : domain.substring(1, close);
      if (ip.isEmpty() || !ip.chars().allMatch(c -> isHex((char) c) || c == ':')) {
        throw invalid(input, "invalid registry host " + quote(domain));
      }
      String rest = domain.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(input, "invalid registry host " + quote(domain));
        }
        port = rest.substring(1);
      }
    } else {
      int colon = domain.indexOf(':');
      if (colon >= 0) {
        host = domain.substring(0, colon);
        port = domain.substring(colon + 1);
      }
      if (!isDomainName(host)) {
        throw invalid(input, "invalid registry host " + quote(domain));
      }
    }
    if (port != null && (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9'))) {
      throw invalid(input, "invalid port in registry host " + quote(domain));
    }
  }

  private static boolean isDomainName(String host) {
    if (host.isEmpty()) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty()
          || label.charAt(0) == '-'
          || label.charAt(label.length() - 1) == '-'
          || !label.chars().allMatch(c -> Reference.isAlnum((char) c) || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Path components are {@code [a-z0-9]+} separated by {@code .}, {@code _}, {@code __} or one or
   * more {@code -}.
   */
  private static void checkPath(String path, String input) {
    if (path.isEmpty()) {
      throw invalid(input, "repository name must have at least one component");
    }
    if (!path.toLowerCase(Locale.ROOT).equals(path)) {
      throw invalid(input, "repository name must be lowercase");
    }
    for (String component : path.split("/", -1)) {
      if (!isPathComponent(component)) {
        throw invalid(
            input,
            "invalid reference format: invalid repository path component " + quote(component));
      }
    }
  }

  static boolean isPathComponent(String c) {
    int n = c.length();
    if (n == 0 || !isLowerAlnum(c.charAt(0)) || !isLowerAlnum(c.charAt(n - 1))) {
      return false;
    }
    int i = 0;
    while (i < n) {
      char ch = c.charAt(i);
      if (isLowerAlnum(ch)) {
        i++;
        continue;
      }
      // A separator: '.', '_', '__' or a run of '-'; it must sit between alphanumerics.
      int start = i;
      if (ch == '.') {
        i++;
      } else if (ch == '_') {
        i += (i + 1 < n && c.charAt(i + 1) == '_') ? 2 : 1;
      } else if (ch == '-') {
        while (i < n && c.charAt(i) == '-') {
          i++;
        }
      } else {
        return false;
      }
      if (i >= n || !isLowerAlnum(c.charAt(i)) || start == 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static InvalidArgumentException invalid(String input, String why) {
    return new InvalidArgumentException("invalid reference " + quote(input) + ": " + why);
  }
}
