package dev.hoist.remotes.docker;

import dev.hoist.remotes.docker.config.TransportOptions;
import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds {@link RegistryHost}s that point at WireMock servers on localhost. */
final class WireMockHosts {

  /** A {@code java.net.http} client of the test's own: these hosts use the JDK transport. */
  static final TransportOptions CLIENT =
      TransportOptions.jdk(
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .version(HttpClient.Version.HTTP_1_1)
              .build());

  private WireMockHosts() {}

  static RegistryHost host(int port, Set<HostCapability> caps, Authorizer authorizer) {
    return new RegistryHost(CLIENT, authorizer, "http", "localhost:" + port, "/v2", caps, Map.of());
  }

  static RegistryHost host(int port, Set<HostCapability> caps) {
    return host(port, caps, Authorizer.NONE);
  }

  static RegistryHost host(int port) {
    return host(port, EnumSet.allOf(HostCapability.class));
  }

  static RegistryHosts fixed(RegistryHost... hosts) {
    List<RegistryHost> list = List.of(hosts);
    return name -> list;
  }
}
