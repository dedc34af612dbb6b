/**
 * Internals of {@link dev.hoist.remotes.docker.config.ConfigureHosts}: directory lookup ({@code
 * HostDirectories}), {@code hosts.toml} and {@code certs.d} reading ({@code HostDirectoryLoader},
 * {@code HostsFileParser}, {@code HostUrls}, {@code GoDurations}), TLS ({@code PemFiles}, {@code
 * SslContexts}, {@code TrustAllManager}), and the shared clients ({@code HttpClients}; the HTTP
 * fallback is a setting of the client, carried out by the transports). Not API: may change in any
 * release.
 */
package dev.hoist.remotes.docker.config.internal;
