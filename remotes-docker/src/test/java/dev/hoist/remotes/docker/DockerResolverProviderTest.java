package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.ResolverProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DockerResolverProviderTest {

  @Test
  void serviceLoaderFindsTheDockerResolver() {
    ResolverProvider provider = ServiceLoader.load(ResolverProvider.class).findFirst().orElseThrow();

    assertThat(provider).isInstanceOf(DockerResolverProvider.class);
    assertThat(provider.defaultResolver()).isInstanceOf(DockerResolver.class);
  }
}
