package dev.hoist.remotes.docker.auth.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Decides which endpoints may receive credentials: HTTPS, or plain HTTP where configured. */
public final class HostPolicy {

  private final Set<String> plainHttpHosts;
  private final boolean loopback;

  public HostPolicy(Set<String> plainHttpHosts, boolean loopback) {
    this.plainHttpHosts = Set.copyOf(plainHttpHosts);
    this.loopback = loopback;
  }

  /** {@code host[:port]} of {@code uri}, lower-cased, without user info. */
  public static String authority(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
  }

  /** True when credentials may be sent to {@code uri}. */
  public boolean mayReceiveCredentials(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return true;
    }
    if (!scheme.equals("http")) {
      return false;
    }
    String authority = authority(uri);
    return plainHttpHosts.contains(authority)
        || plainHttpHosts.contains(uri.getHost())
        || (loopback && isLoopback(uri.getHost()));
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || h.equals("[::1]")
        || h.equals("::1");
  }
}
