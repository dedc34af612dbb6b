/**
 * {@code DockerResolver}: the OCI / Docker v2 registry client, and the default resolver for
 * {@code Client} through {@link dev.hoist.remotes.ResolverProvider}.
 */
module dev.hoist.remotes.docker {
  requires transitive dev.hoist.core;
  requires transitive java.net.http;
  // hosts.toml only; JSON goes through core's streaming reader.
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.toml;
  requires org.slf4j;

  exports dev.hoist.remotes.docker;
  exports dev.hoist.remotes.docker.auth;
  exports dev.hoist.remotes.docker.config;

  provides dev.hoist.remotes.ResolverProvider with
      dev.hoist.remotes.docker.DockerResolverProvider;
}
