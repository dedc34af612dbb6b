package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.http1.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport is chosen by configuration: whose client, which scheme, which version. The {@code
 * java.net.http} client is built only when a request needs it: a request over Hoist's own HTTP/1.1
 * connections never builds one (so a fresh JVM neither loads it nor waits at exit for its selector
 * thread).
 */
@Timeout(30)
class TransportsTest {

  final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  final OwnTransport own = new OwnTransport(() -> timer);
  final JdkTransport jdk = new JdkTransport(() -> timer);
  final Transports transports = new Transports(own, jdk);
  RawServer server;

  static final URI HTTP = URI.create("http://registry.test/v2/");
  static final URI HTTPS = URI.create("https://registry.test/v2/");

  @AfterEach
  void stop() throws IOException {
    transports.close();
    timer.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void hoistsOwnOptionsGoOverTheOwnTransportWhenTheRequestIsHttp11() {
    HostClient hoists = transports.client(TransportOptions.defaults());

    assertThat(transports.select(hoists, "GET", HTTP, HttpClient.Version.HTTP_2)).isSameAs(own);
    assertThat(transports.select(hoists, "HEAD", HTTPS, HttpClient.Version.HTTP_1_1)).isSameAs(own);
    assertThat(transports.select(hoists, "GET", HTTPS, HttpClient.Version.HTTP_2)).isSameAs(jdk);
    assertThat(hoists.isJdkBuilt()).isFalse(); // choosing never builds the JDK client
  }

  @Test
  void aClientAUserHandedInGoesThroughJavaNetHttp() {
    HttpClient users = HttpClient.newBuilder().build();
    HostClient handedIn = transports.client(TransportOptions.jdk(users));

    assertThat(transports.select(handedIn, "GET", HTTP, HttpClient.Version.HTTP_1_1)).isSameAs(jdk);
    assertThat(handedIn.jdk()).isSameAs(users);
  }

  @Test
  void withTheOwnTransportOffEverythingGoesThroughJavaNetHttp() {
    Transports off = new Transports(null, jdk);
    HostClient hoists = off.client(TransportOptions.defaults());

    assertThat(off.select(hoists, "GET", HTTP, HttpClient.Version.HTTP_1_1)).isSameAs(jdk);
  }

  @Test
  void equalOptionsShareOneClientAndOtherOptionsGetTheirOwn() {
    TransportOptions a = TransportOptions.builder().connectTimeout(Duration.ofSeconds(3)).build();
    TransportOptions same =
        TransportOptions.builder().connectTimeout(Duration.ofSeconds(3)).build();
    TransportOptions other =
        TransportOptions.builder().connectTimeout(Duration.ofSeconds(4)).build();

    assertThat(transports.client(a)).isSameAs(transports.client(same));
    assertThat(transports.client(other)).isNotSameAs(transports.client(a));
  }

  private String get(Transports t, HostClient client) throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v2/");
    Transport.Response r =
        t.send(
            new Transport.Request(
                client,
                "GET",
                uri,
                HttpClient.Version.HTTP_1_1,
                List.of(),
                Duration.ofSeconds(10)));
    try (InputStream in = r.body()) {
      return r.status()
          + " "
          + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aRequestOverTheOwnTransportNeverBuildsTheJdkClientButOneOverJavaNetHttpDoes()
      throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(RawServer.ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
              return true;
            });
    HostClient viaOwn = transports.client(TransportOptions.defaults());
    Transports jdkOnly = new Transports(null, jdk);
    HostClient viaJdk = jdkOnly.client(TransportOptions.defaults());

    assertThat(get(transports, viaOwn)).isEqualTo("200 ok");
    assertThat(get(jdkOnly, viaJdk)).isEqualTo("200 ok");

    assertThat(viaOwn.isJdkBuilt()).isFalse();
    assertThat(viaJdk.isJdkBuilt()).isTrue();
  }
}
