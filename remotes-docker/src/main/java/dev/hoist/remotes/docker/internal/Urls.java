package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.RegistryHost;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Registry API URLs, as containerd's {@code path.Join("/", hostPath, repository, kind, ref)}. */
public final class Urls {

  private Urls() {}

  /**
   * {@code <scheme>://<host><path>/<repo>/<kind>/<object>}, plus {@code ?ns=<refHost>} when the
   * host is a mirror for {@code refHost} (containerd's {@code addNamespace}).
   */
  public static URI registry(
      RegistryHost host, String refHost, String repo, String kind, String object) {
    String root =
        host.path().endsWith("/")
            ? host.path().substring(0, host.path().length() - 1)
            : host.path();
    StringBuilder b = new StringBuilder();
    b.append(host.scheme())
        .append("://")
        .append(host.host())
        .append(root.startsWith("/") ? "" : "/")
        .append(root);
    b.append('/').append(repo).append('/').append(kind).append('/').append(object);
    if (host.isMirrorFor(refHost)) {
      b.append("?ns=").append(URLEncoder.encode(refHost, StandardCharsets.UTF_8));
    }
    return URI.create(b.toString());
  }
}
