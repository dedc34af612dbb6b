package dev.hoist.remotes.docker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.images.Image;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Mirrors and servers set in code, as hosts.toml's {@code [host."…"]} and {@code server} keys. */
class MirrorsInCodeTest {

  private static final String REGISTRY = "registry.example.invalid";

  @Test
  void mirrorsComeFirstForPullAndResolveThenTheServer() throws Exception {
    HostOptions options =
        HostOptions.builder()
            .mirror(REGISTRY, "https://mirror-a.example")
            .mirror(REGISTRY, "mirror-b.example:5000")
            .server(REGISTRY, "https://origin.example/v2")
            .build();

    List<RegistryHost> hosts = ConfigureHosts.from(options).hosts(REGISTRY);

    assertThat(hosts)
        .extracting(h -> h.root().toString())
        .containsExactly(
            "https://mirror-a.example/v2",
            "https://mirror-b.example:5000/v2",
            "https://origin.example/v2");
    assertThat(hosts.get(0).capabilities())
        .isEqualTo(Set.of(HostCapability.PULL, HostCapability.RESOLVE));
    assertThat(hosts.get(2).capabilities()).contains(HostCapability.PUSH);
  }

  @Test
  void aMirrorWithoutAServerKeepsTheRegistrysDefault() throws Exception {
    HostOptions options =
        HostOptions.builder().mirror("docker.io", "https://mirror.example").build();

    assertThat(ConfigureHosts.from(options).hosts("docker.io"))
        .extracting(h -> h.root().toString())
        .containsExactly("https://mirror.example/v2", "https://registry-1.docker.io/v2");
    assertThat(ConfigureHosts.from(options).hosts("ghcr.io"))
        .extracting(h -> h.root().toString())
        .containsExactly("https://ghcr.io/v2");
  }

  @Test
  void aMalformedMirrorIsRefusedNamingTheRegistry() {
    assertThatThrownBy(() -> HostOptions.builder().mirror("docker.io", "ftp://mirror.example"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("docker.io")
        .hasMessageContaining("ftp://mirror.example");
  }

  @Test
  void aFetchTakesTheImageFromTheMirrorAndFallsBackToTheServer() throws Exception {
    TestImage cached = GeneratedImages.random(ImageSpec.builder().layers(1, 512).seed(71).build());
    TestImage fresh = GeneratedImages.random(ImageSpec.builder().layers(1, 512).seed(72).build());
    try (TestRegistry mirror = TestRegistry.start();
        TestRegistry origin = TestRegistry.start()) {
      mirror.push("team/cached:1", cached);
      origin.push("team/cached:1", cached);
      origin.push("team/fresh:1", fresh);
      HostOptions options =
          HostOptions.builder()
              .mirror(REGISTRY, "http://" + mirror.host())
              .server(REGISTRY, "http://" + origin.host())
              .build();
      RemoteContext ctx =
          RemoteContext.builder()
              .resolver(DockerResolver.builder().hosts(ConfigureHosts.from(options)).build())
              .platforms("linux/amd64")
              .build();
      try (Client client = Client.builder().contentStore(new InMemoryContentStore()).build()) {
        Image fromMirror = client.fetch(REGISTRY + "/team/cached:1", ctx);
        int originBefore = origin.requestLog().entries().size();
        Image fromOrigin = client.fetch(REGISTRY + "/team/fresh:1", ctx);

        assertThat(fromMirror.target()).isEqualTo(cached.root());
        assertThat(fromOrigin.target()).isEqualTo(fresh.root());
        assertThat(origin.requestLog().matching("GET", ".*/team/cached/.*")).isEmpty();
        assertThat(origin.requestLog().entries().size()).isGreaterThan(originBefore);
        assertThat(mirror.requestLog().matching("GET", ".*/team/cached/blobs/.*")).isNotEmpty();
      }
    }
  }
}
