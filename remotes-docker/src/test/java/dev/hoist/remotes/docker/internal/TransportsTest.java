package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The transport is chosen by configuration: whose client, which scheme, which version. */
class TransportsTest {

  final OwnTransport own = new OwnTransport(() -> null);
  final JdkTransport jdk = new JdkTransport(() -> null);
  final Transports transports = new Transports(own, jdk);

  static final URI HTTP = URI.create("http://registry.test/v2/");
  static final URI HTTPS = URI.create("https://registry.test/v2/");

  @Test
  void hoistsOwnClientsGoOverTheOwnTransportWhenTheRequestIsHttp11() {
    LazyHttpClient hoists =
        LazyHttpClient.withDefaults(Duration.ofSeconds(5), HttpClient.Version.HTTP_1_1);

    assertThat(transports.select(hoists, "GET", HTTP, HttpClient.Version.HTTP_2)).isSameAs(own);
    assertThat(transports.select(hoists, "HEAD", HTTPS, HttpClient.Version.HTTP_1_1)).isSameAs(own);
    assertThat(transports.select(hoists, "GET", HTTPS, HttpClient.Version.HTTP_2)).isSameAs(jdk);
    assertThat(hoists.isBuilt()).isFalse(); // choosing never builds the JDK client
  }

  @Test
  void clientsAUserBuiltOrCustomisedGoThroughJavaNetHttp() {
    HttpClient users = HttpClient.newBuilder().build();
    LazyHttpClient customised =
        new LazyHttpClient(
            () -> users,
            false,
            Duration.ofSeconds(5),
            LazyDefaultTls.context(),
            LazyDefaultTls.parameters(),
            HttpClient.Version.HTTP_1_1);

    assertThat(transports.select(users, "GET", HTTP, HttpClient.Version.HTTP_1_1)).isSameAs(jdk);
    assertThat(transports.select(customised, "GET", HTTP, HttpClient.Version.HTTP_1_1))
        .isSameAs(jdk);
  }

  @Test
  void withTheOwnTransportOffEverythingGoesThroughJavaNetHttp() {
    Transports off = new Transports(null, jdk);
    LazyHttpClient hoists =
        LazyHttpClient.withDefaults(Duration.ofSeconds(5), HttpClient.Version.HTTP_1_1);

    assertThat(off.select(hoists, "GET", HTTP, HttpClient.Version.HTTP_1_1)).isSameAs(jdk);
  }
}
