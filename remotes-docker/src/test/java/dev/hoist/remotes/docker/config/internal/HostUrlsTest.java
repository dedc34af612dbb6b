package dev.hoist.remotes.docker.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostUrlsTest {

  @ParameterizedTest(name = "{0} override={1}")
  @CsvSource({
    "registry.example.com, false, https, registry.example.com, /v2",
    "httpbin.example, false, https, httpbin.example, /v2",
    "http://Mirror.Example:5000, false, http, mirror.example:5000, /v2",
    "https://m.example/, false, https, m.example, /v2",
    "https://m.example/v2/, false, https, m.example, /v2",
    "https://m.example/a/b, false, https, m.example, /a/b/v2",
    "https://m.example/v2/upstream, true, https, m.example, /v2/upstream",
    "https://m.example/v2/upstream, false, https, m.example, /v2/upstream/v2",
    "https://[::1]:5000, false, https, [::1]:5000, /v2"
  })
  void normalisesSchemeHostAndApiRoot(
      String url, boolean override, String scheme, String host, String path) {
    assertThat(HostUrls.parse(url, override)).isEqualTo(new HostUrls.Endpoint(scheme, host, path));
  }
}
