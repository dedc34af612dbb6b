package dev.hoist.remotes.docker.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.Resolved;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.internal.LazyHttpClient;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistryExtension;
import java.io.InputStream;
import java.net.http.HttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hosts' {@code java.net.http} clients are built only when a request needs one: a pull over
 * Hoist's own HTTP/1.1 connections never builds one (so a fresh JVM neither loads the client nor
 * waits at exit for its selector thread); HTTP/2 builds it on the first request.
 */
@Timeout(60)
class LazyClientTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(2, 64 * 1024).seed(5).build());

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("lazy/app:1", IMAGE);
  }

  private static String ref() {
    return REGISTRY.registry().reference("lazy/app:1");
  }

  private static LazyHttpClient client(RegistryHosts hosts) throws java.io.IOException {
    return (LazyHttpClient) hosts.hosts(REGISTRY.registry().host()).get(0).client();
  }

  private static void pull(DockerResolver resolver) throws Exception {
    Resolved r = resolver.resolve(ref());
    java.util.List<Descriptor> all = new java.util.ArrayList<>();
    all.add(IMAGE.root());
    all.addAll(IMAGE.configs());
    all.addAll(IMAGE.layers());
    for (Descriptor d : all) {
      try (InputStream in = resolver.fetcher(r.name()).fetch(d)) {
        assertThat(in.readAllBytes()).hasSize((int) d.size());
      }
    }
  }

  @Test
  void aPullOverHoistsOwnConnectionsNeverBuildsTheClient() throws Exception {
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().build());

    pull(DockerResolver.builder().hosts(hosts).build());

    assertThat(client(hosts).isPlain()).isTrue();
    assertThat(client(hosts).isBuilt()).isFalse();
  }

  @Test
  void aPullOverJavaNetHttpBuildsItOnTheFirstRequest() throws Exception {
    RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder().build());
    assertThat(client(hosts).isBuilt()).isFalse();

    pull(DockerResolver.builder().hosts(hosts).http1Transport(false).build());

    assertThat(client(hosts).isBuilt()).isTrue();
  }

  @Test
  void aCustomizedClientIsNotPlainAndIsAskedForItsSettings() throws Exception {
    RegistryHosts hosts =
        ConfigureHosts.from(
            HostOptions.builder()
                .clientCustomizer(b -> b.version(HttpClient.Version.HTTP_1_1))
                .build());

    pull(DockerResolver.builder().hosts(hosts).build());

    assertThat(client(hosts).isPlain()).isFalse();
    assertThat(client(hosts).isBuilt()).isTrue(); // built to learn whether it has a proxy
  }
}
