/**
 * Resolves and fetches images from OCI / Docker v2 registries over {@code java.net.http}, as
 * containerd's {@code core/remotes/docker}.
 *
 * <p>{@link dev.hoist.remotes.docker.DockerResolver} is the entry point: it resolves references
 * (HEAD, GET fallback, digest checks) and hands out {@link dev.hoist.remotes.docker.DockerFetcher}s
 * that stream manifests and blobs with range resume, manual redirects that never carry credentials
 * to another host, retries with backoff, and stall detection. Which endpoints serve a registry is a
 * {@link dev.hoist.remotes.docker.RegistryHosts} ({@link dev.hoist.remotes.docker.DockerHosts} by
 * default); credentials come from an {@link dev.hoist.remotes.docker.Authorizer} per host. {@link
 * dev.hoist.remotes.docker.DockerResolverProvider} makes the default resolver available through
 * {@link java.util.ServiceLoader}.
 */
package dev.hoist.remotes.docker;
