package dev.hoist.remotes.docker.config.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code NO_PROXY} list, matched as Go's {@code golang.org/x/net/http/httpproxy} does:
 * {@code *} matches everything; an IP address matches itself and a CIDR range its addresses; a
 * domain {@code example.com} matches itself and its subdomains, {@code .example.com} (or {@code
 * *.example.com}) only its subdomains; an entry with {@code :port} matches that port only. Matching
 * never resolves names.
 */
public final class NoProxy {

  private record Entry(
      String domain, boolean subdomainsOnly, byte[] network, int prefix, int port) {}

  private final boolean all;
  private final List<Entry> entries;

  private NoProxy(boolean all, List<Entry> entries) {
    this.all = all;
    this.entries = entries;
  }

  /** Parses {@code list}; unparseable entries are ignored, as Go and curl do. */
  public static NoProxy parse(String list) {
    boolean all = false;
    List<Entry> entries = new ArrayList<>();
    for (String raw : list == null ? new String[0] : list.split(",")) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("*")) {
        all = true;
        continue;
      }
      int slash = e.indexOf('/');
      if (slash > 0) {
        byte[] net = literal(e.substring(0, slash));
        try {
          int prefix = Integer.parseInt(e.substring(slash + 1));
          if (net != null && prefix >= 0 && prefix <= net.length * 8) {
            entries.add(new Entry(null, false, net, prefix, -1));
          }
        } catch (NumberFormatException ignored) {
          // not a CIDR range: ignored
        }
        continue;
      }
      int port = -1;
      String host = e;
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        if (close < 0) {
          continue;
        }
        port = port(host.substring(close + 1));
        host = host.substring(1, close);
      } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
        port = port(host.substring(host.indexOf(':')));
        host = host.substring(0, host.indexOf(':'));
      }
      if (port == -2) {
        continue;
      }
      byte[] ip = literal(host);
      if (ip != null) {
        entries.add(new Entry(null, false, ip, ip.length * 8, port));
        continue;
      }
      boolean subOnly = false;
      if (host.startsWith("*.")) {
        host = host.substring(1);
      }
      if (host.startsWith(".")) {
        subOnly = true;
        host = host.substring(1);
      }
      if (!host.isEmpty()) {
        entries.add(new Entry(host, subOnly, null, 0, port));
      }
    }
    return new NoProxy(all, List.copyOf(entries));
  }

  /** ":port" → the port; "" → -1; anything else → -2. */
  private static int port(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    if (!s.startsWith(":")
        || s.length() > 6
        || !s.substring(1).chars().allMatch(Character::isDigit)
        || s.length() == 1) {
      return -2;
    }
    return Integer.parseInt(s.substring(1));
  }

  /** Whether a request to {@code host:port} bypasses the proxy. */
  public boolean matches(String host, int port) {
    if (all) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    byte[] ip = literal(h);
    for (Entry e : entries) {
      if (e.port() != -1 && e.port() != port) {
        continue;
      }
      if (e.network() != null) {
        if (ip != null && inNetwork(ip, e.network(), e.prefix())) {
          return true;
        }
      } else if (ip == null) {
        if (h.endsWith("." + e.domain()) || (!e.subdomainsOnly() && h.equals(e.domain()))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code host} is {@code localhost} or a loopback address literal. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    byte[] ip = literal(h);
    try {
      return ip != null && InetAddress.getByAddress(ip).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean inNetwork(byte[] ip, byte[] net, int prefix) {
    if (ip.length != net.length) {
      return false;
    }
    int bits = ip.length * 8;
    BigInteger mask =
        prefix == 0
            ? BigInteger.ZERO
            : BigInteger.ONE
                .shiftLeft(bits)
                .subtract(BigInteger.ONE)
                .shiftRight(bits - prefix)
                .shiftLeft(bits - prefix);
    return new BigInteger(1, ip).and(mask).equals(new BigInteger(1, net).and(mask));
  }

  /** The bytes of an IPv4 or IPv6 literal, or null for a name. Never resolves. */
  static byte[] literal(String s) {
    if (s.isEmpty()) {
      return null;
    }
    boolean v4 =
        s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
            && s.chars().filter(c -> c == '.').count() == 3;
    boolean v6 =
        s.indexOf(':') >= 0
            && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress(); // a literal: no lookup
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }
}
