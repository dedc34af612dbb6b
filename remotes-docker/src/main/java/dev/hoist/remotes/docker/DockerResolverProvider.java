package dev.hoist.remotes.docker;

import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.ResolverProvider;
import dev.hoist.remotes.docker.auth.DockerConfigCredentials;
import dev.hoist.remotes.docker.config.ConfigureHosts;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.remotes.docker.config.ProxySettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Supplies the default resolver through {@link java.util.ServiceLoader} (registered in {@code
 * META-INF/services}): Docker Hub and other registries with the credentials of Docker's {@code
 * config.json} (and its credential helpers), and host configuration (mirrors, TLS) from the
 * directory named by {@code $HOIST_HOSTS_DIR}, else {@code ~/.config/hoist/certs.d}, in
 * containerd's {@code hosts.toml} / {@code certs.d} layout. A missing directory means defaults.
 * {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} are honoured ({@link
 * ProxySettings#fromEnvironment}).
 */
public final class DockerResolverProvider implements ResolverProvider {

  /** Environment variable naming the hosts directory. */
  public static final String HOSTS_DIR_ENV = "HOIST_HOSTS_DIR";

  /** Called by {@link java.util.ServiceLoader}. */
  public DockerResolverProvider() {}

  @Override
  public Resolver defaultResolver() {
    HostOptions options =
        HostOptions.builder()
            .hostsDir(hostsDir(System.getenv(), Path.of(System.getProperty("user.home"))))
            .credentials(DockerConfigCredentials.load())
            .proxy(ProxySettings.fromEnvironment(System.getenv()))
            .build();
    return DockerResolver.builder().hosts(ConfigureHosts.from(options)).build();
  }

  static Path hostsDir(Map<String, String> env, Path home) {
    String dir = env.get(HOSTS_DIR_ENV);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    return home.resolve(".config").resolve("hoist").resolve("certs.d");
  }
}
