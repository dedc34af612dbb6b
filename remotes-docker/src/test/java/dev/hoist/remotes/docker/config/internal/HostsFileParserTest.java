package dev.hoist.remotes.docker.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.config.ClientCertificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of {@code hosts.toml} files, containerd's documented examples ({@code docs/hosts.md})
 * first, and the host list each must give: order, scheme, host, path, capabilities, TLS bits,
 * headers, timeouts.
 */
class HostsFileParserTest {

  private static final Path DIR = Path.of("/etc/hoist/certs.d/docker.io");
  private static final Path FILE = DIR.resolve("hosts.toml");

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of(
            "docs: simple host config for Docker",
            """
            server = "https://docker.io"

            [host."https://registry-1.docker.io"]
              capabilities = ["pull", "resolve"]
            """,
            List.of(
                "https://registry-1.docker.io/v2 pull,resolve",
                "https://docker.io/v2 pull,resolve,push,referrers")),
        Arguments.of(
            "docs: local mirror for Docker",
            """
            server = "https://registry-1.docker.io"    # Exclude this to not use upstream

            [host."https://public-mirror.example.com"]
              capabilities = ["pull"]                  # Requires less trust, won't resolve tag to digest from this host
            [host."https://docker-mirror.internal"]
              capabilities = ["pull", "resolve"]
              ca = "docker-mirror.crt"                 # Or absolute path /etc/containerd/certs.d/docker.io/docker-mirror.crt
            """,
            List.of(
                "https://public-mirror.example.com/v2 pull",
                "https://docker-mirror.internal/v2 pull,resolve ca=docker-mirror.crt",
                "https://registry-1.docker.io/v2 pull,resolve,push,referrers")),
        Arguments.of(
            "docs: default mirror for all registries, upstream still used",
            """
            [host."https://registry.example.com"]
              capabilities = ["pull", "resolve"]
            """,
            List.of(
                "https://registry.example.com/v2 pull,resolve",
                "(registry) pull,resolve,push,referrers")),
        Arguments.of(
            "docs: only the mirror, as server",
            """
            server = "https://registry.example.com"
            """,
            List.of("https://registry.example.com/v2 pull,resolve,push,referrers")),
        Arguments.of(
            "docs: bypass TLS verification",
            """
            server = "https://registry-1.docker.io"

            [host."http://192.168.31.250:5000"]
              capabilities = ["pull", "resolve", "push"]
              skip_verify = true
            """,
            List.of(
                "http://192.168.31.250:5000/v2 pull,resolve,push skip_verify=true",
                "https://registry-1.docker.io/v2 pull,resolve,push,referrers")),
        Arguments.of(
            "docs: host mirror namespaces (the detailed example)",
            """
            [host."https://mirror.registry"]
              capabilities = ["pull"]
              ca = "/etc/certs/mirror.pem"
              skip_verify = false
              [host."https://mirror.registry".header]
                x-custom-2 = ["value1", "value2"]

            [host."https://mirror-bak.registry/us"]
              capabilities = ["pull"]
              skip_verify = true

            [host."http://mirror.registry"]
              capabilities = ["pull"]

            [host."https://test-1.registry"]
              capabilities = ["pull", "resolve", "push"]
              ca = ["/etc/certs/test-1-ca.pem", "/etc/certs/special.pem"]
              client = [["/etc/certs/client.cert", "/etc/certs/client.key"],["/etc/certs/client.pem", ""]]

            [host."https://test-2.registry"]
              client = "/etc/certs/client.pem"

            [host."https://test-3.registry"]
              client = ["/etc/certs/client-1.pem", "/etc/certs/client-2.pem"]

            [host."https://non-compliant-mirror.registry/v2/upstream"]
              capabilities = ["pull"]
              override_path = true
            """,
            List.of(
                "https://mirror.registry/v2 pull ca=/etc/certs/mirror.pem skip_verify=false"
                    + " header={x-custom-2=[value1, value2]}",
                "https://mirror-bak.registry/us/v2 pull skip_verify=true",
                "http://mirror.registry/v2 pull",
                "https://test-1.registry/v2 pull,resolve,push"
                    + " ca=/etc/certs/test-1-ca.pem,/etc/certs/special.pem"
                    + " client=/etc/certs/client.cert+/etc/certs/client.key,/etc/certs/client.pem",
                "https://test-2.registry/v2 pull,resolve,push,referrers client=/etc/certs/client.pem",
                "https://test-3.registry/v2 pull,resolve,push,referrers"
                    + " client=/etc/certs/client-1.pem,/etc/certs/client-2.pem",
                "https://non-compliant-mirror.registry/v2/upstream pull",
                "(registry) pull,resolve,push,referrers")),
        Arguments.of(
            "docs: header table forms",
            """
            server = "https://registry.example.com"
            [header]
              x-custom-1 = "custom header"
              x-custom-1-2 = "another custom header"
            """,
            List.of(
                "https://registry.example.com/v2 pull,resolve,push,referrers"
                    + " header={x-custom-1=[custom header], x-custom-1-2=[another custom header]}")),
        Arguments.of(
            "root keys apply to the server entry",
            """
            server = "registry.example.com:5000/api/"
            capabilities = ["PULL", "Resolve"]
            ca = ["ca.pem", "sub/other.pem"]
            client = [["client.cert", "client.key"]]
            skip_verify = false
            dial_timeout = "1.5s"
            override_path = true
            """,
            List.of(
                "https://registry.example.com:5000/api pull,resolve ca=ca.pem,sub/other.pem"
                    + " client=client.cert+client.key skip_verify=false dial=PT1.5S")),
        Arguments.of(
            "without server, root TLS and headers still reach the derived server entry",
            """
            ca = "ca.pem"
            capabilities = ["pull"]
            [header]
              x-a = "1"
            """,
            List.of("(registry) pull,resolve,push,referrers ca=ca.pem header={x-a=[1]}")),
        Arguments.of(
            "a host listed twice (spellings of one endpoint, or equal to server) appears once",
            """
            server = "https://a.example/v2/"
            [host."https://a.example"]
              capabilities = ["pull"]
            [host."b.example"]
            [host."https://b.example/v2"]
              capabilities = ["push"]
            """,
            List.of(
                "https://a.example/v2 pull", "https://b.example/v2 pull,resolve,push,referrers")),
        Arguments.of(
            "file order is kept when a host table is reopened later",
            """
            [host."https://z.example"]
              capabilities = ["pull"]
            [host."https://a.example"]
              capabilities = ["pull"]
            [host."https://z.example".header]
              x-late = ["yes"]
            """,
            List.of(
                "https://z.example/v2 pull header={x-late=[yes]}",
                "https://a.example/v2 pull",
                "(registry) pull,resolve,push,referrers")),
        Arguments.of(
            "paths are cleaned; empty capabilities mean all; referrers is accepted",
            """
            [host."https://m.example//x/./y/../z/"]
              capabilities = []
            [host."https://n.example/"]
              capabilities = ["referrers", "pull"]
            [host."https://o.example"]
              override_path = true
            """,
            List.of(
                "https://m.example/x/z/v2 pull,resolve,push,referrers",
                "https://n.example/v2 pull,referrers",
                "https://o.example/ pull,resolve,push,referrers",
                "(registry) pull,resolve,push,referrers")),
        Arguments.of(
            "an empty file content with only comments gives the derived server",
            "# nothing here\n",
            List.of("(registry) pull,resolve,push,referrers")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void parsesHostListInOrder(String name, String toml, List<String> expected) {
    List<HostConfig> hosts = HostsFileParser.parse(FILE, toml);

    assertThat(hosts.stream().map(HostsFileParserTest::describe).collect(Collectors.toList()))
        .containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("[host.\"https://m\"\ncapabilities = [\"pull\"]\n", "line 1"),
        Arguments.of("server = \"https://a\"\ncapabilities = [\"pull\",\n", "line"),
        Arguments.of(
            "[host.\"https://m\"]\ncapabilities = [\"pul\"]\n",
            "host.\"https://m\".capabilities: unknown host capability \"pul\""),
        Arguments.of("capabilities = \"pull\"\n", "capabilities: must be a list"),
        Arguments.of("server = 5\n", "server: must be a string"),
        Arguments.of(
            "server = \"ftp://a.example\"\n",
            "server: invalid URL \"ftp://a.example\": scheme must be http or https"),
        Arguments.of(
            "[host.\"https://a\"]\nca = 5\n", "host.\"https://a\".ca: must be a file path"),
        Arguments.of(
            "[host.\"https://a\"]\nca = [\"x.pem\", 1]\n",
            "host.\"https://a\".ca: entries must be file paths"),
        Arguments.of(
            "[host.\"https://a\"]\nclient = [[\"a\", \"b\", \"c\"]]\n",
            "host.\"https://a\".client: invalid entry"),
        Arguments.of(
            "[host.\"https://a\"]\nskip_verify = \"yes\"\n",
            "host.\"https://a\".skip_verify: must be true or false"),
        Arguments.of(
            "[host.\"https://a\"]\noverride_path = 1\n",
            "host.\"https://a\".override_path: must be true or false"),
        Arguments.of(
            "[host.\"https://a\".header]\nx-a = 1\n",
            "host.\"https://a\".header.x-a: must be a string or a list"),
        Arguments.of(
            "[host.\"https://a\"]\ndial_timeout = \"5 parsecs\"\n",
            "host.\"https://a\".dial_timeout: invalid duration \"5 parsecs\""),
        Arguments.of(
            "[host.\"https://a\"]\ndial_timeout = \"-1s\"\n",
            "host.\"https://a\".dial_timeout: must be positive"),
        Arguments.of("host = \"https://a\"\n", "host: must be a table"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badFiles")
  void rejectsBadFileNamingFileAndPlace(String toml, String expected) {
    assertThatThrownBy(() -> HostsFileParser.parse(FILE, toml))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining(expected);
  }

  @Test
  void malformedTomlNamesTheLineOfTheError() {
    String toml = "server = \"https://a\"\n\n[host.\"https://m\"]\ncapabilities = [\"pull\"\n";

    assertThatThrownBy(() -> HostsFileParser.parse(FILE, toml))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("hosts file " + FILE + ": line ")
        .hasMessageContaining("malformed TOML");
  }

  @Test
  void credentialsInAUrlAreRejectedWithoutEchoingThem() {
    String toml = "server = \"https://user:hunter2@a.example\"\n";

    assertThatThrownBy(() -> HostsFileParser.parse(FILE, toml))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining("hunter2");
  }

  /** One line per host: URL, capabilities, then the TLS, header and timeout bits that are set. */
  static String describe(HostConfig h) {
    StringBuilder s = new StringBuilder();
    s.append(h.isUnset() ? "(registry)" : h.scheme() + "://" + h.host() + h.path());
    s.append(' ')
        .append(
            h.capabilities().stream()
                .sorted()
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(",")));
    if (!h.tls().caCertificates().isEmpty()) {
      s.append(" ca=")
          .append(
              h.tls().caCertificates().stream()
                  .map(HostsFileParserTest::rel)
                  .collect(Collectors.joining(",")));
    }
    if (!h.tls().clientCertificates().isEmpty()) {
      s.append(" client=")
          .append(
              h.tls().clientCertificates().stream()
                  .map(HostsFileParserTest::client)
                  .collect(Collectors.joining(",")));
    }
    h.tls().skipVerify().ifPresent(v -> s.append(" skip_verify=").append(v));
    if (!h.headers().isEmpty()) {
      s.append(" header=").append(new TreeMap<>(h.headers()));
    }
    h.dialTimeout().ifPresent(d -> s.append(" dial=").append(d));
    return s.toString();
  }

  private static String client(ClientCertificate c) {
    return rel(c.certificate()) + c.separateKey().map(k -> "+" + rel(k)).orElse("");
  }

  private static String rel(Path p) {
    return p.startsWith(DIR) ? DIR.relativize(p).toString() : p.toString();
  }

  @Test
  void capabilityEnumHasTheFourContainerdNames() {
    assertThat(HostConfig.ALL).containsExactlyInAnyOrder(HostCapability.values());
  }
}
