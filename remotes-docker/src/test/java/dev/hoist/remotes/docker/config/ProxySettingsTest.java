package dev.hoist.remotes.docker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxySettingsTest {

  static final URI PROXY = URI.create("http://proxy.corp:3128");

  static Optional<URI> proxyFor(ProxySettings s, String url) {
    return s.proxyFor(URI.create(url));
  }

  @Test
  void theEnvironmentIsReadAsCurlAndGoReadItLowerCaseFirst() {
    ProxySettings s =
        ProxySettings.fromEnvironment(
            Map.of(
                "HTTPS_PROXY",
                "http://upper:1",
                "https_proxy",
                "http://lower:2",
                "HTTP_PROXY",
                "plain:3"));

    assertThat(proxyFor(s, "https://registry.example/v2/")).hasValue(URI.create("http://lower:2"));
    // host:port without a scheme is an http proxy
    assertThat(proxyFor(s, "http://registry.example/v2/")).hasValue(URI.create("http://plain:3"));
    assertThat(ProxySettings.fromEnvironment(Map.of())).isEqualTo(ProxySettings.NONE);
    assertThat(ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", " ")))
        .isEqualTo(ProxySettings.NONE);
  }

  @Test
  void loopbackIsReachedDirectlyUnlessTheSettingsSayOtherwise() {
    ProxySettings env =
        ProxySettings.fromEnvironment(Map.of("HTTP_PROXY", "http://proxy.corp:3128"));
    ProxySettings explicit = ProxySettings.builder().httpProxy(PROXY).proxyLoopback(true).build();

    for (String url :
        new String[] {
          "http://localhost:5000/v2/",
          "http://127.0.0.1:5000/v2/",
          "http://[::1]:5000/v2/",
          "http://127.1.2.3/v2/",
          "http://registry.localhost/v2/"
        }) {
      assertThat(proxyFor(env, url)).as(url).isEmpty();
      assertThat(proxyFor(explicit, url)).as(url).hasValue(PROXY);
    }
  }

  @ParameterizedTest(name = "NO_PROXY={0}, {1} -> direct {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "*|https://registry.example|true",
        "example.com|https://example.com|true",
        "example.com|https://registry.example.com|true",
        "example.com|https://notexample.com|false",
        ".example.com|https://example.com|false",
        ".example.com|https://registry.example.com|true",
        "*.example.com|https://registry.example.com|true",
        "EXAMPLE.com|https://Registry.Example.COM|true",
        "example.com:5000|https://example.com:5000|true",
        "example.com:5000|https://example.com|false",
        "10.0.0.0/8|https://10.1.2.3:5000|true",
        "10.0.0.0/8|https://11.1.2.3|false",
        "192.168.1.7|https://192.168.1.7|true",
        "192.168.1.7|https://192.168.1.8|false",
        "[2001:db8::1]:443|https://[2001:db8::1]|true",
        "2001:db8::/32|https://[2001:db8::5]:5000|true",
        "other.org, example.com ,|https://example.com|true",
        "'',|https://example.com|false",
      })
  void noProxyEntries(String noProxy, String url, boolean direct) {
    ProxySettings s = ProxySettings.builder().httpsProxy(PROXY).noProxy(noProxy).build();

    assertThat(proxyFor(s, url).isEmpty()).isEqualTo(direct);
  }

  @Test
  void credentialsNeverShowInToString() {
    ProxySettings s =
        ProxySettings.builder()
            .httpsProxy(URI.create("http://alice:s3cr3t@proxy.corp:3128"))
            .build();

    assertThat(s.toString())
        .contains("proxy.corp:3128")
        .doesNotContain("s3cr3t")
        .doesNotContain("alice");
  }

  @Test
  void onlyHttpProxiesAreAccepted() {
    assertThatThrownBy(() -> ProxySettings.builder().httpsProxy(URI.create("socks5://proxy:1080")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("only http://host:port proxies");
    assertThatThrownBy(
            () -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "http://user:pw@bad host:1")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("HTTPS_PROXY")
        .hasMessageNotContaining("pw");
  }
}
