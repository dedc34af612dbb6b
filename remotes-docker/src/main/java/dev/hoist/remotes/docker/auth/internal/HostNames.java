package dev.hoist.remotes.docker.auth.internal;

import java.util.Locale;

/** Normalises registry host names the way Docker's config keys are matched. */
public final class HostNames {

  /** Docker Hub's key in {@code config.json} and for credential helpers. */
  public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private HostNames() {}

  /**
   * Lower-cases, strips a scheme and anything from the first {@code /} (Docker's {@code
   * ConvertToHostname}), and maps every Docker Hub alias to {@code docker.io}.
   */
  public static String canonical(String hostOrUrl) {
    String h = hostOrUrl.trim().toLowerCase(Locale.ROOT);
    int scheme = h.indexOf("://");
    if (scheme >= 0) {
      h = h.substring(scheme + 3);
    }
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    if (isDockerHub(h)) {
      return "docker.io";
    }
    return h;
  }

  /** True for Docker Hub's registry and index host names. */
  public static boolean isDockerHub(String host) {
    return host.equals("docker.io")
        || host.equals("index.docker.io")
        || host.equals("registry-1.docker.io")
        || host.equals("registry.hub.docker.com");
  }
}
