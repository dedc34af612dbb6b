package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.internal.ServerText;
import java.net.URI;
import java.util.Locale;

/**
 * The redirect step of a request: which replies are followed, where to, and whether the next hop
 * still goes to the registry. A pure function of the reply; {@link Requester} sends the hops.
 *
 * <p>Redirects are followed here rather than by {@code HttpClient} so that the registry's {@code
 * Authorization} and configured headers never reach another host (object stores and CDNs get a bare
 * {@code GET}), {@code https → http} and non-HTTP schemes are refused, and a {@code HEAD} is never
 * followed (pre-signed URLs are signed for {@code GET} only; its redirect is returned as is).
 */
final class RedirectStep {

  /** Redirect hops followed per request, as browsers and oras-java cap them. */
  static final int MAX_REDIRECTS = 10;

  private RedirectStep() {}

  /** What to do with a reply. */
  sealed interface Next {}

  /** The reply is the answer. */
  record Answer() implements Next {}

  /**
   * Send the request again to {@code to}.
   *
   * @param to the redirect target
   * @param toRegistry whether {@code to} is the registry's own origin (credentials and configured
   *     headers go only there)
   */
  record Follow(URI to, boolean toRegistry) implements Next {}

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /**
   * Decides on one reply.
   *
   * @param registry the URI the request was first sent to (the registry's origin)
   * @param method the request method
   * @param at the URI this hop was sent to
   * @param status the reply's status
   * @param location the reply's {@code Location}, or null
   * @param hop how many redirects were followed before this reply
   * @return {@link Answer} or {@link Follow}
   * @throws UnavailableException for a redirect without a {@code Location}
   * @throws InvalidArgumentException for a refused target or more than {@link #MAX_REDIRECTS}
   */
  static Next next(URI registry, String method, URI at, int status, String location, int hop) {
    if (!isRedirect(status) || !method.equals("GET")) {
      return new Answer();
    }
    if (location == null) {
      throw new UnavailableException(
          "GET "
              + RegistryErrors.redact(at)
              + ": redirect "
              + status
              + " without a Location header");
    }
    if (hop + 1 > MAX_REDIRECTS) {
      throw new InvalidArgumentException(
          "GET " + RegistryErrors.redact(registry) + ": more than " + MAX_REDIRECTS + " redirects");
    }
    URI next = resolveLocation(at, location);
    return new Follow(next, sameOrigin(registry, next));
  }

  /**
   * The target of {@code location} seen from {@code from}.
   *
   * @throws InvalidArgumentException for a malformed location, a scheme other than http(s), https
   *     to http, or no host
   */
  static URI resolveLocation(URI from, String location) {
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": malformed redirect Location \""
              + clean(location)
              + "\"",
          e);
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": refusing redirect to scheme \""
              + clean(scheme)
              + "\"");
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": refusing redirect from https to http ("
              + RegistryErrors.redact(next)
              + ")");
    }
    if (next.getHost() == null) {
      throw new InvalidArgumentException(
          "GET "
              + RegistryErrors.redact(from)
              + ": redirect Location without a host \""
              + clean(location)
              + "\"");
    }
    return next;
  }

  /** Same scheme and authority. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getRawAuthority() != null
        && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority());
  }

  /** A server's Location (or part of it) fit for a message, through {@link ServerText}. */
  private static String clean(String s) {
    return ServerText.clean(s, 100);
  }
}
