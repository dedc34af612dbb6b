package dev.hoist.remotes.docker.internal.http1;

import static dev.hoist.remotes.docker.internal.http1.RawServer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.HostClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Servers that stretch or bend HTTP/1.1 framing (issue 14, items 3, 5 and 6). */
@Timeout(30)
class Http1HostileServerTest {

  private final HostClient client = HostClient.of(TransportOptions.defaults());
  private final Http1Transport transport = new Http1Transport();
  private RawServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private Http1Transport.Exchange send(String method, String path, Duration headTimeout)
      throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return transport.exchange(client, method, uri, List.of(), headTimeout);
  }

  private String body(String path) throws IOException {
    try (InputStream in = send("GET", path, Duration.ofSeconds(10)).body()) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Waits for a condition the server's bytes bring about; fails rather than hangs. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
      Thread.sleep(1); // polling a socket's state: there is nothing to wait on
    }
  }

  @Test
  void aHostileHeaderLineIsCleanedBeforeItReachesTheMessage() throws Exception {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    server =
        new RawServer(
            (n, head, out, closing) -> {
              // A header line without a colon: ESC sequences that would clear a terminal and set
              // its title, a bidi override and a token the server echoes.
              out.write(
                  ("HTTP/1.1 200 OK\r\n\u001b[2J\u001b]0;owned\u0007 \u202e " + jwt + "\r\n\r\n")
                      .getBytes(StandardCharsets.UTF_8));
              return false;
            });

    assertThatThrownBy(() -> send("GET", "/hostile", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed header line")
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain("\u001b", "\u0007", jwt).hasLineCount(1);
              assertThat(e.getMessage()).contains("***");
            });
  }

  @Test
  void aHeadTricklingOneByteAtATimeFailsAtTheHeadDeadline() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nX-Slow: "));
              out.flush();
              // Each byte comes well within any per-read timeout; only a deadline for the whole
              // head ends this.
              while (!closing.await(50, TimeUnit.MILLISECONDS)) {
                out.write('a');
                out.flush();
              }
              return false;
            });
    long start = System.nanoTime();

    assertThatThrownBy(() -> send("GET", "/trickle", Duration.ofMillis(500)))
        .isInstanceOf(HttpTimeoutException.class)
        .hasMessageContaining("within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void interimRepliesCountAgainstTheHeadDeadline() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              while (true) {
                out.write(ascii("HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n"));
                out.flush();
                if (closing.await(300, TimeUnit.MILLISECONDS)) {
                  return false;
                }
              }
            });
    long start = System.nanoTime();

    assertThatThrownBy(() -> send("GET", "/hints", Duration.ofMillis(1000)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void fiveInterimRepliesAreSkippedAndASixthIsRefused() throws Exception {
    String hint = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n";
    server =
        new RawServer(
            (n, head, out, closing) -> {
              int interim = head.contains("/five") ? 5 : 6;
              out.write(
                  ascii(hint.repeat(interim) + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
              return true;
            });

    assertThat(body("/five")).isEqualTo("ok");
    assertThatThrownBy(() -> body("/six"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than 5 interim");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+5", "-1", "0x5", " 5", "5x", "", "1000000000000000"})
  void chunkSizesOtherThanHexDigitsAreRefused(String size) throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(
                  ascii(
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + size
                          + "\r\nhello\r\n0\r\n\r\n"));
              return true;
            });

    InputStream in = send("GET", "/c", Duration.ofSeconds(10)).body();

    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed chunk size");
    assertThat(transport.idleConnections()).isZero();
  }

  @Test
  void chunkSizesMayCarryWhitespaceAndExtensions() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(
                  ascii(
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + "5 ;a=b\r\nhello\r\n1\t\r\n!\r\n0\r\n\r\n"));
              return true;
            });

    assertThat(body("/c")).isEqualTo("hello!");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Odd: a\u0000b", "X-Odd: a\rb", "X-Odd\r: a"})
  void headerLinesWithNulOrBareCrAreRefused(String line) throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\n" + line + "\r\nContent-Length: 0\r\n\r\n"));
              return true;
            });

    assertThatThrownBy(() -> send("GET", "/h", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("in the reply head from http://127.0.0.1:" + server.port());
  }

  @Test
  void aReplyWithLengthAndChunkedIsReadAsChunkedAndItsConnectionClosed() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(
                  ascii(
                      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + "5\r\nhello\r\n0\r\n\r\n"));
              return true;
            });

    assertThat(body("/both")).isEqualTo("hello");
    assertThat(transport.idleConnections()).isZero();
    assertThat(body("/both")).isEqualTo("hello");
    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void bytesArrivingOnAnIdleConnectionAreNotReadAsTheNextReply() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    server =
        new RawServer(
            (n, head, out, closing) -> {
              if (n == 0) {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"));
                out.flush();
                released.await();
                out.write(
                    ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")); // nobody asked
                return true;
              }
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond"));
              return true;
            });
    assertThat(body("/1")).isEqualTo("first");
    assertThat(transport.idleConnections()).isEqualTo(1);

    released.countDown();
    await(() -> transport.idleConnectionsWithUnsolicitedBytes() == 1);

    Http1Transport.Exchange x = send("GET", "/2", Duration.ofSeconds(10));
    assertThat(x.status()).isEqualTo(200);
    assertThat(new String(x.body().readAllBytes(), StandardCharsets.ISO_8859_1))
        .isEqualTo("second");
    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void aBodySentWithAHeadReplyDoesNotBecomeTheNextReply() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              if (head.startsWith("HEAD")) {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 43\r\n\r\n"));
                out.flush();
                out.write(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
                return true;
              }
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
              return true;
            });
    send("HEAD", "/m", Duration.ofSeconds(10)).body().close();
    // The stray bytes either came with the head (the connection was closed on release) or are
    // waiting on the idle connection: both must keep them from the next request.
    await(
        () ->
            transport.idleConnections() == 0
                || transport.idleConnectionsWithUnsolicitedBytes() == 1);

    assertThat(body("/m")).isEqualTo("ok");
    assertThat(server.connections()).isEqualTo(2);
  }
}
