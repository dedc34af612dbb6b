package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerHostsTest {

  @ParameterizedTest
  @CsvSource({
    "docker.io, https, registry-1.docker.io",
    "ghcr.io, https, ghcr.io",
    "registry.example.com:5000, https, registry.example.com:5000",
    "localhost, http, localhost",
    "localhost:5000, http, localhost:5000",
    "localhost:443, https, localhost:443",
    "127.0.0.1:5000, http, 127.0.0.1:5000",
    "127.0.0.1:443, https, 127.0.0.1:443",
    "'[::1]:5000', http, '[::1]:5000'",
    "'[::1]:443', https, '[::1]:443'",
    "localhost.example.com:5000, https, localhost.example.com:5000",
    "127.0.0.2:5000, https, 127.0.0.2:5000",
  })
  void mapsRegistriesToOneEndpoint(String name, String scheme, String endpoint) {
    List<RegistryHost> hosts = DockerHosts.defaults().hosts(name);

    assertThat(hosts).hasSize(1);
    assertThat(hosts.get(0).scheme()).isEqualTo(scheme);
    assertThat(hosts.get(0).host()).isEqualTo(endpoint);
    assertThat(hosts.get(0).path()).isEqualTo("/v2");
    assertThat(hosts.get(0).capabilities()).isEqualTo(EnumSet.allOf(HostCapability.class));
  }

  @Test
  void dockerHubIsNotTreatedAsAMirror() {
    assertThat(DockerHosts.defaults().hosts("docker.io").get(0).isMirrorFor("docker.io")).isFalse();
  }

  @Test
  void hostsShareOneClientAndGetTheirEndpointsAuthorizer() {
    List<String> asked = new ArrayList<>();
    DockerHosts hosts =
        DockerHosts.builder()
            .authorizer(
                h -> {
                  asked.add(h);
                  return Authorizer.NONE;
                })
            .build();

    RegistryHost a = hosts.hosts("docker.io").get(0);
    RegistryHost b = hosts.hosts("ghcr.io").get(0);

    assertThat(a.transport()).isSameAs(b.transport());
    assertThat(asked).containsExactly("registry-1.docker.io", "ghcr.io");
  }
}
