package dev.hoist.remotes.docker.config.internal;

import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed endpoint of a registry, before clients are attached (containerd's {@code hostConfig}).
 *
 * @param scheme {@code http} or {@code https}; empty for the server entry when {@code server} was
 *     not given (filled in from the registry name later)
 * @param host {@code host[:port]}; empty when {@code server} was not given
 * @param path the API root
 * @param capabilities what the host may be asked to do
 * @param tls the host's own TLS settings
 * @param headers extra headers, in file order
 * @param dialTimeout the connect timeout, if configured
 */
public record HostConfig(
    String scheme,
    String host,
    String path,
    Set<HostCapability> capabilities,
    TlsOptions tls,
    Map<String, List<String>> headers,
    Optional<Duration> dialTimeout) {

  /** Capabilities of a host whose {@code capabilities} key is absent (containerd 2.x: all). */
  public static final Set<HostCapability> ALL = Set.copyOf(EnumSet.allOf(HostCapability.class));

  public HostConfig {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    capabilities = Set.copyOf(capabilities);
    Objects.requireNonNull(tls, "tls");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(dialTimeout, "dialTimeout");
  }

  /** The entry to fill from defaults: no file, or a file without {@code server}. */
  public static HostConfig unset(TlsOptions tls, Map<String, List<String>> headers) {
    return new HostConfig("", "", "/v2", ALL, tls, headers, Optional.empty());
  }

  /** True when the host name is still to be derived from the registry name. */
  public boolean isUnset() {
    return host.isEmpty();
  }

  /** {@code scheme://host/path}: the identity used to drop duplicates. */
  public String endpoint() {
    return scheme + "://" + host + path;
  }

  public HostConfig withEndpoint(String newScheme, String newHost, String newPath) {
    return new HostConfig(newScheme, newHost, newPath, capabilities, tls, headers, dialTimeout);
  }

  public HostConfig withDialTimeout(Optional<Duration> timeout) {
    return new HostConfig(scheme, host, path, capabilities, tls, headers, timeout);
  }

  public HostConfig withCapabilities(Set<HostCapability> caps) {
    return new HostConfig(scheme, host, path, caps, tls, headers, dialTimeout);
  }
}
