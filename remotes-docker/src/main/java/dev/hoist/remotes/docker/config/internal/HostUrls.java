package dev.hoist.remotes.docker.config.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Turns a {@code server} or {@code [host."<url>"]} string into scheme, host and API root, as
 * containerd's {@code parseHostConfig}: no {@code http} prefix means {@code https://}; the path is
 * cleaned and gets {@code /v2} appended unless it already ends so or {@code override_path}.
 */
public final class HostUrls {

  /** The parts of a host URL. */
  public record Endpoint(String scheme, String host, String path) {}

  private HostUrls() {}

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException with a message naming the problem
   */
  public static Endpoint parse(String url, boolean overridePath) {
    String s = url.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.contains("://") && !lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException(
          "invalid URL \"" + url + "\": scheme must be http or https");
    }
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      // containerd tests the prefix "http" only, so "httpbin.example" would lose its host.
      s = "https://" + s;
    }
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid URL \"" + url + "\": " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "invalid URL \"" + url + "\": scheme must be http or https");
    }
    if (u.getRawUserInfo() != null) {
      // Never echo it: it may be a password.
      throw new IllegalArgumentException("URL must not carry credentials (use an authorizer)");
    }
    String host = u.getRawAuthority();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("invalid URL \"" + url + "\": no host");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "invalid URL \"" + url + "\": a query or fragment is not allowed");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (!path.isEmpty()) {
      path = clean(path);
      if (!path.endsWith("/v2") && !overridePath) {
        path = path.equals("/") ? "/v2" : path + "/v2";
      }
    } else if (!overridePath) {
      path = "/v2";
    } else {
      // containerd keeps "" (requests go to /<repo>/...); "/" is the same root for RegistryHost.
      path = "/";
    }
    return new Endpoint(scheme, host.toLowerCase(Locale.ROOT), path);
  }

  /** Go's {@code path.Clean} for an absolute path: no empty, "." or ".." segments. */
  static String clean(String path) {
    Deque<String> out = new ArrayDeque<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(seg);
      }
    }
    return "/" + String.join("/", out);
  }
}
