/**
 * Registry host configuration the containerd way: {@code hosts.toml} mirrors and servers, Docker's
 * {@code certs.d} certificates, and per-host TLS.
 *
 * <pre>{@code
 * // /etc/hoist/certs.d/docker.io/hosts.toml:
 * //   server = "https://registry-1.docker.io"
 * //   [host."https://mirror.internal"]
 * //     capabilities = ["pull", "resolve"]
 * //     ca = "mirror-ca.pem"            # relative to the file's directory
 * RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder()
 *     .hostsDir(Path.of("/etc/hoist/certs.d"))
 *     .build());
 * List<RegistryHost> endpoints = hosts.hosts("docker.io");  // mirror first, server last
 * }</pre>
 *
 * <p>Everything is non-null unless documented as nullable. Internals live in {@code
 * dev.hoist.remotes.docker.config.internal} and are not API.
 */
package dev.hoist.remotes.docker.config;
