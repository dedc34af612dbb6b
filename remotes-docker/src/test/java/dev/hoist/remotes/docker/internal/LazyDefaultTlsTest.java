package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class LazyDefaultTlsTest {

  @Test
  void aClientBuiltWithItOffersTls13And12AndUsesTheDefaultContextOnFirstUse() throws Exception {
    HttpClient client = LazyDefaultTls.apply(HttpClient.newBuilder()).build();

    assertThat(client.sslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    SSLContext lazy = client.sslContext();
    assertThat(lazy.getDefaultSSLParameters().getCipherSuites())
        .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
    assertThat(lazy.getSocketFactory())
        .isInstanceOf(SSLContext.getDefault().getSocketFactory().getClass());
    assertThat(LazyDefaultTls.initialised()).isTrue();
  }

  @Test
  void itCannotBeReinitialisedWithOtherTrust() {
    SSLContext lazy = LazyDefaultTls.apply(HttpClient.newBuilder()).build().sslContext();

    assertThatThrownBy(() -> lazy.init(null, null, null))
        .isInstanceOf(KeyManagementException.class);
  }
}
