package dev.hoist.remotes.docker.config;

import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.config.internal.ConfiguredHosts;

/**
 * Builds a {@link RegistryHosts} from a directory of containerd {@code hosts.toml} files and Docker
 * {@code certs.d} certificates, as containerd's {@code config.ConfigureHosts}.
 *
 * <p>For a registry {@code host[:port]}, the directory is {@code <root>/host_port_}, {@code
 * <root>/host:port} or {@code <root>/_default}, whichever exists first. In it, {@code hosts.toml}
 * lists mirrors ({@code [host."<url>"]}, tried in file order) and the {@code server} (tried last);
 * without {@code hosts.toml}, {@code *.crt} files are trusted CAs and {@code *.cert}/{@code *.key}
 * pairs client certificates. Without any configuration the registry itself is the only host: {@code
 * docker.io} maps to {@code registry-1.docker.io}; localhost and loopback addresses use plain HTTP
 * unless the port is 443, or HTTPS first (with a fallback to HTTP when the server does not speak
 * TLS) when TLS settings exist for them.
 *
 * <p>Differences from containerd, on purpose: a malformed {@code hosts.toml} throws {@link
 * dev.hoist.errors.InvalidArgumentException} naming the file and line or key (containerd logs it
 * and carries on with defaults); a host listed twice appears once; localhost does not get {@code
 * skip_verify} implicitly. Keys Hoist does not know (such as containerd 2.2's {@code proxy}; use
 * {@link HostOptions.Builder#clientCustomizer} for a proxy) are logged once and ignored.
 *
 * <p>The returned function reads the directory on every call (edits apply without a restart) but
 * creates each {@code HttpClient} and {@code SSLContext} once per distinct TLS setting, version and
 * timeout, and each authorizer once per endpoint host. It is thread-safe. {@link
 * RegistryHosts#hosts} throws {@link dev.hoist.errors.InvalidArgumentException} for bad
 * configuration (TOML, capability, CA or key file) and {@link java.io.IOException} when the
 * directory cannot be read.
 */
public final class ConfigureHosts {

  private ConfigureHosts() {}

  /**
   * Returns the hosts function for {@code options}.
   *
   * @param options the hosts directory, credentials, TLS and HTTP settings
   * @return the hosts function; it reads a registry's {@code hosts.toml} when asked for that
   *     registry
   */
  public static RegistryHosts from(HostOptions options) {
    return new ConfiguredHosts(options);
  }
}
