package dev.hoist.remotes.docker;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One registry endpoint and how to talk to it, as containerd's {@code docker.RegistryHost}.
 *
 * @param client the HTTP client (carries this host's TLS configuration); shared, reused
 * @param authorizer credentials and tokens for this host
 * @param scheme {@code https} or {@code http}
 * @param host {@code host[:port]}
 * @param path the API root, usually {@code /v2}
 * @param capabilities what this host may be asked to do
 * @param headers extra headers sent with every request to this host
 */
public record RegistryHost(
    HttpClient client,
    Authorizer authorizer,
    String scheme,
    String host,
    String path,
    Set<HostCapability> capabilities,
    Map<String, List<String>> headers) {

  /**
   * Requires the client, scheme and host; a null authorizer becomes {@link Authorizer#NONE}, a null
   * or empty path {@code /v2}; copies the capabilities and headers (null becomes empty).
   *
   * @param client the HTTP client (carries this host's TLS configuration); shared, reused
   * @param authorizer credentials and tokens for this host
   * @param scheme {@code https} or {@code http}
   * @param host {@code host[:port]}
   * @param path the API root, usually {@code /v2}
   * @param capabilities what this host may be asked to do
   * @param headers extra headers sent with every request to this host
   */
  public RegistryHost {
    Objects.requireNonNull(client, "client");
    authorizer = authorizer == null ? Authorizer.NONE : authorizer;
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    path = path == null || path.isEmpty() ? "/v2" : path;
    capabilities =
        capabilities == null || capabilities.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(capabilities));
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * Whether this host may be asked to do {@code c}.
   *
   * @param c a capability
   * @return whether {@link #capabilities()} contains it
   */
  public boolean has(HostCapability c) {
    return capabilities.contains(c);
  }

  /** {@return {@code scheme://host/path}, the API root} */
  public URI root() {
    return URI.create(scheme + "://" + host + path);
  }

  /**
   * True when this host is a mirror for {@code refHost}: requests then carry {@code ?ns=refHost}
   * (containerd's {@code isProxy}); {@code registry-1.docker.io} is not a mirror of {@code
   * docker.io}.
   *
   * @param refHost the host of the reference being resolved, e.g. {@code docker.io}
   * @return whether this host is a mirror of it
   */
  public boolean isMirrorFor(String refHost) {
    if (refHost.equals("docker.io") && host.equals("registry-1.docker.io")) {
      return false;
    }
    return !refHost.equals(host);
  }

  /**
   * This host with another authorizer.
   *
   * @param a the authorizer
   * @return a copy using {@code a}
   */
  public RegistryHost withAuthorizer(Authorizer a) {
    return new RegistryHost(client, a, scheme, host, path, capabilities, headers);
  }

  @Override
  public String toString() {
    return "RegistryHost[" + scheme + "://" + host + path + " " + capabilities + "]";
  }
}
