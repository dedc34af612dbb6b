package dev.hoist.remotes.docker;

import dev.hoist.remotes.docker.config.TransportOptions;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One registry endpoint and how to talk to it, as containerd's {@code docker.RegistryHost}.
 *
 * @param transport how to reach this host: TLS, proxies, HTTP version, connect timeout (hosts with
 *     equal options share connections), or a {@code java.net.http} client of one's own
 * @param authorizer credentials and tokens for this host
 * @param scheme {@code https} or {@code http}
 * @param host {@code host[:port]}
 * @param path the API root, usually {@code /v2}
 * @param capabilities what this host may be asked to do
 * @param headers extra headers sent with every request to this host
 */
public record RegistryHost(
    TransportOptions transport,
    Authorizer authorizer,
    String scheme,
    String host,
    String path,
    Set<HostCapability> capabilities,
    Map<String, List<String>> headers) {

  /**
   * Requires the scheme and host; a null transport becomes {@link TransportOptions#defaults()}, a
   * null authorizer becomes {@link Authorizer#NONE}, a null or empty path {@code /v2}; copies the
   * capabilities and headers (null becomes empty).
   *
   * @param transport how to reach this host; null for {@link TransportOptions#defaults()}
   * @param authorizer credentials and tokens for this host
   * @param scheme {@code https} or {@code http}
   * @param host {@code host[:port]}
   * @param path the API root, usually {@code /v2}
   * @param capabilities what this host may be asked to do
   * @param headers extra headers sent with every request to this host
   */
  public RegistryHost {
    transport = transport == null ? TransportOptions.defaults() : transport;
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
    return new RegistryHost(transport, a, scheme, host, path, capabilities, headers);
  }

  @Override
  public String toString() {
    return "RegistryHost[" + scheme + "://" + host + path + " " + capabilities + "]";
  }
}
