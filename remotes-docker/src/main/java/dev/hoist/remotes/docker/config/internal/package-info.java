/**
 * Internals of {@link dev.hoist.remotes.docker.config.ConfigureHosts}: directory lookup ({@code
 * HostDirectories}), {@code hosts.toml} and {@code certs.d} reading ({@code HostDirectoryLoader},
 * {@code HostsFileParser}, {@code HostUrls}, {@code GoDurations}), TLS ({@code PemFiles}, {@code
 * SslContexts}, {@code TrustAllManager}), and the hosts' transport options ({@code HostTransports};
 * the HTTP fallback is one of them, carried out by the transports). Not API: may change in any
 * release.
 */
package dev.hoist.remotes.docker.config.internal;
