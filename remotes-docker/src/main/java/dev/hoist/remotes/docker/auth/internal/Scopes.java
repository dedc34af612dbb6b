package dev.hoist.remotes.docker.auth.internal;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Token scope helpers ({@code repository:<name>:<actions>}). */
public final class Scopes {

  private static final Pattern PULL_PATH =
      Pattern.compile("/v2/(.+?)/(?:manifests|blobs|tags)/[^/]+/?$");

  private Scopes() {}

  /** The sorted, de-duplicated union of the given scope lists (containerd's cache key order). */
  @SafeVarargs
  public static List<String> merge(Collection<String>... lists) {
    TreeSet<String> set = new TreeSet<>();
    for (Collection<String> l : lists) {
      for (String s : l) {
        if (s != null && !s.isBlank()) {
          set.add(s.strip());
        }
      }
    }
    return List.copyOf(set);
  }

  /**
   * The pull scope a GET or HEAD of {@code uri} needs, derived from its path, for requests that
   * carry no scope of their own.
   */
  public static Optional<String> derivePull(String method, URI uri) {
    if (!method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("HEAD")) {
      return Optional.empty();
    }
    String path = uri.getPath();
    if (path == null) {
      return Optional.empty();
    }
    Matcher m = PULL_PATH.matcher(path);
    return m.find() ? Optional.of("repository:" + m.group(1) + ":pull") : Optional.empty();
  }

  /** The repository named by the first {@code repository:} scope, if any. */
  public static Optional<String> repository(Collection<String> scopes) {
    for (String s : scopes) {
      if (s.startsWith("repository:")) {
        int last = s.lastIndexOf(':');
        if (last > "repository:".length()) {
          return Optional.of(s.substring("repository:".length(), last));
        }
      }
    }
    return Optional.empty();
  }
}
