package dev.hoist.remotes.docker.internal.http1;

import static dev.hoist.remotes.docker.internal.http1.RawServer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.HostClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Http1TransportTest {

  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

  private final HostClient client = HostClient.of(TransportOptions.defaults());
  private final Http1Transport transport = new Http1Transport();
  private RawServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private RawServer serve(RawServer.Script script) throws IOException {
    server = new RawServer(script);
    return server;
  }

  private Http1Transport.Exchange send(
      String method, String path, Map.Entry<String, String>... headers) throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return transport.exchange(client, method, uri, List.of(headers), HEAD_TIMEOUT);
  }

  private String body(String path) throws IOException {
    try (InputStream in = send("GET", path).body()) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static RawServer.Script fixed(String body) {
    return (n, head, out, closing) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
      return true;
    };
  }

  @Test
  void fixedLengthRepliesShareOneKeptAliveConnection() throws Exception {
    serve(fixed("hello"));

    assertThat(body("/a")).isEqualTo("hello");
    assertThat(body("/b?ns=docker.io")).isEqualTo("hello");

    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.seen)
        .extracting(RawServer.Seen::line)
        .containsExactly("GET /a HTTP/1.1", "GET /b?ns=docker.io HTTP/1.1");
    assertThat(server.seen.get(0).head()).contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n");
    assertThat(transport.idleConnections()).isEqualTo(1);
  }

  @Test
  void requestHeadersAreSentAsGiven() throws Exception {
    serve(fixed(""));

    send("GET", "/h", Map.entry("Range", "bytes=5-"), Map.entry("Accept", "a, b")).body().close();

    assertThat(server.seen.get(0).head())
        .contains("\r\nRange: bytes=5-\r\n")
        .contains("\r\nAccept: a, b\r\n");
  }

  @Test
  void aReaderThatStopsAtTheDeclaredLengthStillFreesTheConnection() throws Exception {
    serve(fixed("0123456789"));

    InputStream in = send("GET", "/x").body();
    assertThat(in.readNBytes(10)).hasSize(10); // neither end of stream seen nor close called
    assertThat(transport.idleConnections()).isEqualTo(1);
    assertThat(body("/y")).isEqualTo("0123456789");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void chunkedBodiesAreDecodedWithExtensionsAndTrailers() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(
              ascii(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"));
          return true;
        });

    assertThat(body("/c")).isEqualTo("hello world");
    assertThat(body("/c")).isEqualTo("hello world");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aMalformedChunkSizeIsAnError() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(
              ascii(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
          return true;
        });

    InputStream in = send("GET", "/c").body();
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("chunk size");
    assertThat(transport.idleConnections()).isZero();
  }

  @Test
  void aBodyWithoutLengthEndsWithItsConnection() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"));
          return false;
        });

    assertThat(body("/e")).isEqualTo("until the end");
    assertThat(body("/e")).isEqualTo("until the end");
    assertThat(server.connections()).isEqualTo(2);
    assertThat(transport.idleConnections()).isZero();
  }

  @Test
  void headRepliesHaveNoBodyWhateverTheirContentLength() throws Exception {
    serve(
        (n, head, out, closing) -> {
          if (head.startsWith("HEAD")) {
            out.write(
                ascii(
                    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nDocker-Content-Digest: sha256:x\r\n\r\n"));
          } else {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
          }
          return true;
        });

    Http1Transport.Exchange head = send("HEAD", "/m");
    assertThat(head.headers().firstValue("docker-content-digest")).hasValue("sha256:x");
    assertThat(head.body().readAllBytes()).isEmpty();
    assertThat(body("/m")).isEqualTo("ok");
    assertThat(server.connections()).isEqualTo(1);
  }

  @Test
  void aKeptAliveConnectionTheServerDroppedIsReplacedWithoutAnError() throws Exception {
    // The server closes after every reply without announcing it, as an idle timeout would.
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"));
          return false;
        });

    assertThat(body("/1")).isEqualTo("abc");
    assertThat(body("/2")).isEqualTo("abc");
    assertThat(body("/3")).isEqualTo("abc");
    assertThat(server.seen)
        .extracting(RawServer.Seen::line)
        .containsExactly("GET /1 HTTP/1.1", "GET /2 HTTP/1.1", "GET /3 HTTP/1.1");
  }

  @Test
  void closingABodyBeforeItsEndClosesTheConnection() throws Exception {
    byte[] mib = new byte[1 << 20];
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + (64L << 20) + "\r\n\r\n"));
          for (int i = 0; i < 64; i++) {
            out.write(mib);
          }
          return true;
        });

    InputStream in = send("GET", "/big").body();
    assertThat(in.readNBytes(10)).hasSize(10);
    in.close();

    assertThat(transport.idleConnections()).isZero();
    send("GET", "/big").body().close();
    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void anErrorReplyDiscardedUnreadKeepsItsConnectionWhenItsBodyHasArrived() throws Exception {
    String error = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}]}";
    serve(
        (n, head, out, closing) -> {
          out.write(
              ascii(
                  "HTTP/1.1 503 Service Unavailable\r\nContent-Length: "
                      + error.length()
                      + "\r\n\r\n"
                      + error));
          return true;
        });

    Http1Transport.Exchange x = send("GET", "/busy");
    assertThat(x.status()).isEqualTo(503);
    // The body arrived with the head (one write); give the socket a moment by reading the head
    // only.
    x.body().close();
    send("GET", "/busy").body().close();

    assertThat(server.seen).hasSize(2);
    assertThat(server.seen.get(1).connection()).isEqualTo(server.seen.get(0).connection());
  }

  @Test
  void malformedStatusLinesAreErrorsNamingTheServer() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(ascii(n == 0 ? "HTTP/1.1 2x0 OK\r\n\r\n" : "SSH-2.0-OpenSSH\r\n\r\n"));
          return false;
        });

    assertThatThrownBy(() -> send("GET", "/s"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed status line")
        .hasMessageContaining("127.0.0.1:" + server.port());
    assertThatThrownBy(() -> send("GET", "/s"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SSH-2.0-OpenSSH");
  }

  @Test
  void anOversizedReplyHeadIsRefused() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(
              ascii(
                  "HTTP/1.1 200 OK\r\nX-Big: "
                      + "a".repeat(Http1Connection.MAX_HEAD_BYTES)
                      + "\r\n\r\n"));
          return false;
        });

    assertThatThrownBy(() -> send("GET", "/big-head"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than " + Http1Connection.MAX_HEAD_BYTES);
  }

  @Test
  void conflictingContentLengthsAreRefused() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"));
          return false;
        });

    assertThatThrownBy(() -> send("GET", "/cl"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("conflicting Content-Length");
  }

  @Test
  void aBodyCutShortOfItsLengthIsAnError() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
          return false;
        });

    InputStream in = send("GET", "/short").body();
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(java.io.EOFException.class)
        .hasMessageContaining("7 bytes of the body missing");
  }

  @Test
  @SuppressWarnings("unchecked")
  void headerValuesThatWouldSplitTheRequestAreRefusedBeforeConnecting() throws Exception {
    serve(fixed(""));

    assertThatThrownBy(() -> send("GET", "/", Map.entry("X-Token", "a\r\nX-Injected: 1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Token")
        .hasMessageNotContaining("a\r\n");
    assertThatThrownBy(() -> send("GET", "/", Map.entry("Host", "evil.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("restricted");
    assertThat(server.connections()).isZero();
  }

  @Test
  void aServerThatNeverAnswersTimesOutAsAnOrdinaryIoError() throws Exception {
    serve(
        (n, head, out, closing) -> {
          closing.await();
          return false;
        });
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/silent");

    assertThatThrownBy(
            () -> transport.exchange(client, "GET", uri, List.of(), Duration.ofMillis(200)))
        .isInstanceOf(HttpTimeoutException.class)
        .isNotInstanceOf(InterruptedIOException.class)
        .hasMessageContaining("within 200 ms");
  }

  @Test
  void anInterruptEndsABlockedBodyRead() throws Exception {
    serve(
        (n, head, out, closing) -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
          out.flush();
          closing.await();
          return false;
        });
    CountDownLatch readSome = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = send("GET", "/stall").body()) {
                in.readNBytes(10);
                readSome.countDown();
                in.read(new byte[100]);
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    reader.start();
    assertThat(readSome.await(10, TimeUnit.SECONDS)).isTrue();

    reader.interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
  }

  @Test
  void itCarriesOnlyHttp11Requests() {
    URI http = URI.create("http://registry.test/v2/");
    URI https = URI.create("https://registry.test/v2/");

    assertThat(Http1Transport.canCarry("GET", http, HttpClient.Version.HTTP_2)).isTrue();
    assertThat(Http1Transport.canCarry("HEAD", https, HttpClient.Version.HTTP_1_1)).isTrue();
    assertThat(Http1Transport.canCarry("POST", https, HttpClient.Version.HTTP_1_1)).isTrue();
    assertThat(Http1Transport.canCarry("GET", https, HttpClient.Version.HTTP_2)).isFalse();
    assertThat(Http1Transport.canCarry("PUT", http, HttpClient.Version.HTTP_1_1)).isFalse();
  }
}
