package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.ResolverProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DockerResolverProviderTest {

  @Test
  void serviceLoaderFindsTheDockerResolver() {
    ResolverProvider provider =
        ServiceLoader.load(ResolverProvider.class).findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(DockerResolverProvider.class);
    assertThat(provider.defaultResolver()).isInstanceOf(DockerResolver.class);
  }

  @Test
  void hostsDirectoryComesFromTheEnvironmentElseTheHoistConfigDirectory() {
    Path home = Path.of("/home/u");

    assertThat(
            DockerResolverProvider.hostsDir(
                Map.of("HOIST_HOSTS_DIR", "/etc/containerd/certs.d"), home))
        .isEqualTo(Path.of("/etc/containerd/certs.d"));
    assertThat(DockerResolverProvider.hostsDir(Map.of(), home))
        .isEqualTo(Path.of("/home/u/.config/hoist/certs.d"));
    assertThat(DockerResolverProvider.hostsDir(Map.of("HOIST_HOSTS_DIR", " "), home))
        .isEqualTo(Path.of("/home/u/.config/hoist/certs.d"));
  }
}
