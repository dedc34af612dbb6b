package dev.hoist.remotes.docker.config.internal;

import java.util.Locale;

/** Splits {@code host[:port]} strings, including bracketed IPv6 literals, without DNS. */
public final class HostNames {

  private HostNames() {}

  /** The port of {@code hostPort}, or "" when none is given. */
  public static String port(String hostPort) {
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf("]:");
      return end < 0 ? "" : hostPort.substring(end + 2);
    }
    int colon = hostPort.indexOf(':');
    if (colon < 0 || colon != hostPort.lastIndexOf(':')) {
      return ""; // no port, or an unbracketed IPv6 literal
    }
    return hostPort.substring(colon + 1);
  }

  /** The host part of {@code hostPort}, without brackets. */
  public static String hostname(String hostPort) {
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      return end < 0 ? hostPort : hostPort.substring(1, end);
    }
    int colon = hostPort.indexOf(':');
    if (colon < 0 || colon != hostPort.lastIndexOf(':')) {
      return hostPort;
    }
    return hostPort.substring(0, colon);
  }

  /**
   * Whether {@code h} is four dot-separated runs of one to three digits ({@code
   * \\d{1,3}(\\.\\d{1,3}){3}}), scanned by hand: a fresh JVM's first regular expression costs
   * milliseconds.
   */
  static boolean dottedQuad(String h) {
    int parts = 0;
    int digits = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return false;
        }
      } else if (c == '.' && digits > 0 && parts < 3) {
        parts++;
        digits = 0;
      } else {
        return false;
      }
    }
    return parts == 3 && digits > 0;
  }

  /**
   * True for {@code localhost} and loopback literals ({@code 127.0.0.0/8}, {@code ::1}), as
   * containerd's {@code docker.IsLocalhost}; never resolves names.
   */
  public static boolean isLocalhost(String hostPort) {
    String h = hostname(hostPort).toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (dottedQuad(h)) {
      return h.startsWith("127.");
    }
    if (h.contains(":")) {
      String compact = h.replaceAll("(^|:)0+(?=[0-9a-f])", "$1");
      return compact.equals("::1") || compact.equals("0:0:0:0:0:0:0:1");
    }
    return false;
  }
}
