package dev.hoist.remotes.docker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Transport options are a value: equal settings are equal options, a client is compared by
 * identity.
 */
class TransportOptionsTest {

  @Test
  void theDefaultsAreHttp11TenSecondsNoTlsNoProxyNoClient() {
    TransportOptions d = TransportOptions.defaults();

    assertThat(d.httpVersion()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(d.connectTimeout()).isEqualTo(HostOptions.DEFAULT_CONNECT_TIMEOUT);
    assertThat(d.tls()).isEqualTo(TlsOptions.NONE);
    assertThat(d.proxy()).isEqualTo(ProxySettings.NONE);
    assertThat(d.httpFallback()).isFalse();
    assertThat(d.client()).isEmpty();
    assertThat(TransportOptions.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
  }

  @Test
  void equalSettingsAreEqualAndEachSettingCounts() {
    TransportOptions a = TransportOptions.builder().connectTimeout(Duration.ofSeconds(3)).build();

    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toBuilder().connectTimeout(Duration.ofSeconds(4)).build()).isNotEqualTo(a);
    assertThat(a.toBuilder().httpVersion(HttpClient.Version.HTTP_2).build()).isNotEqualTo(a);
    assertThat(a.toBuilder().httpFallback(true).build()).isNotEqualTo(a);
    assertThat(a.toBuilder().tls(TlsOptions.builder().skipVerify(true).build()).build())
        .isNotEqualTo(a);
  }

  @Test
  void aClientOfOnesOwnIsComparedByIdentity() {
    HttpClient one = HttpClient.newBuilder().build();
    HttpClient two = HttpClient.newBuilder().build();

    assertThat(TransportOptions.jdk(one)).isEqualTo(TransportOptions.jdk(one));
    assertThat(TransportOptions.jdk(one)).isNotEqualTo(TransportOptions.jdk(two));
    assertThat(TransportOptions.jdk(one).client()).containsSame(one);
  }

  @Test
  void toStringNeverShowsTheProxysCredentials() {
    ProxySettings proxy =
        ProxySettings.builder()
            .httpsProxy(URI.create("http://alice:s3cret@proxy.example:3128"))
            .build();

    assertThat(TransportOptions.builder().proxy(proxy).build().toString())
        .contains("proxy")
        .doesNotContain("s3cret", "alice");
  }

  @Test
  void aConnectTimeoutMustBePositive() {
    assertThatThrownBy(() -> TransportOptions.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("connectTimeout");
  }
}
