package dev.hoist.remotes.docker.internal;

import static dev.hoist.remotes.docker.internal.http1.RawServer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.internal.http1.RawServer;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Transport} must do, run against each implementation: framing, the head
 * deadline, the body idle timeout, cancellation and proxies. TLS through both is covered by the
 * real-registry ITs ({@code TlsRegistryIT}, {@code ProxyIT}), which fetch over both transports.
 */
@Timeout(30)
abstract class TransportContract {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  RawServer server;

  /** The implementation under test; {@code timer} runs its idle checks. */
  abstract Transport transport(ScheduledThreadPoolExecutor timer);

  /** The version to ask for: the own transport carries HTTP/1.1. */
  HttpClient.Version version() {
    return HttpClient.Version.HTTP_1_1;
  }

  @AfterEach
  void stop() throws IOException {
    timer.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  HostClient client(ProxySettings proxy) {
    return HostClient.of(
        TransportOptions.builder()
            .connectTimeout(Duration.ofSeconds(5))
            .httpVersion(version())
            .proxy(proxy)
            .build());
  }

  Transport.Response send(String path, Duration timeout, ProxySettings proxy) throws IOException {
    HostClient client = client(proxy);
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return transport(timer)
        .send(
            new Transport.Request(
                client, "GET", uri, version(), List.of(Map.entry("Accept", "*/*")), timeout));
  }

  Transport.Response send(String path) throws IOException {
    return send(path, TIMEOUT, ProxySettings.NONE);
  }

  static String text(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aFixedLengthReplyHasItsStatusHeadersAndBody() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(
                  ascii(
                      "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nDocker-Distribution-Api-Version: registry/2.0\r\n\r\nnope!"));
              return true;
            });

    Transport.Response r = send("/v2/x");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers().firstValue("docker-distribution-api-version")).hasValue("registry/2.0");
    assertThat(text(r.body())).isEqualTo("nope!");
    assertThat(server.seen.get(0).line()).isEqualTo("GET /v2/x HTTP/1.1");
  }

  @Test
  void aChunkedReplyIsDecoded() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(
                  ascii(
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
              return true;
            });

    assertThat(text(send("/c").body())).isEqualTo("hello world");
  }

  @Test
  void aServerThatNeverAnswersFailsAtTheHeadDeadline() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              closing.await();
              return false;
            });
    long start = System.nanoTime();

    assertThatThrownBy(() -> send("/silent", Duration.ofMillis(300), ProxySettings.NONE))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aBodyThatStallsFailsAfterTheIdleTimeout() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
              out.flush();
              closing.await();
              return false;
            });
    InputStream body = send("/stall", Duration.ofMillis(300), ProxySettings.NONE).body();

    assertThat(body.readNBytes(10)).hasSize(10);
    assertThatThrownBy(() -> body.read(new byte[100])).isInstanceOf(UnavailableException.class);
  }

  @Test
  void anInterruptEndsABlockedBodyRead() throws Exception {
    server =
        new RawServer(
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
              try (InputStream in = send("/stall").body()) {
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
  void closingTheBodyFromAnotherThreadEndsABlockedRead() throws Exception {
    server =
        new RawServer(
            (n, head, out, closing) -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789"));
              out.flush();
              closing.await();
              return false;
            });
    InputStream body = send("/stall").body();
    assertThat(body.readNBytes(10)).hasSize(10);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    CountDownLatch reading = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try {
                reading.countDown();
                int n = body.read(new byte[100]);
                outcome.complete(n < 0 ? null : new AssertionError("read " + n + " bytes"));
              } catch (Throwable t) {
                outcome.complete(t);
              }
            });
    reader.start();
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
    // The reader may not be blocked yet; closing before or during its read must both end it.

    body.close();

    Throwable t = outcome.get(10, TimeUnit.SECONDS);
    if (t != null) {
      assertThat(t).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aConfiguredProxyGetsTheRequestInAbsoluteFormWithItsCredentials() throws Exception {
    // The scripted server plays a proxy that asks for credentials; the target need not exist.
    server =
        new RawServer(
            (n, head, out, closing) -> {
              if (proxyAuthorization(head) == null) {
                out.write(
                    ascii(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
                            + "Content-Length: 0\r\n\r\n"));
              } else {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
              }
              return true;
            });
    URI proxy = URI.create("http://alice:pr0xy@127.0.0.1:" + server.port());
    ProxySettings settings = ProxySettings.builder().httpProxy(proxy).build();
    HostClient client = client(settings);
    URI target = URI.create("http://registry.invalid:5000/v2/");

    Transport.Response r =
        transport(timer)
            .send(new Transport.Request(client, "GET", target, version(), List.of(), TIMEOUT));

    assertThat(text(r.body())).isEqualTo("ok");
    RawServer.Seen last = server.seen.get(server.seen.size() - 1);
    assertThat(last.line()).isEqualTo("GET http://registry.invalid:5000/v2/ HTTP/1.1");
    assertThat(proxyAuthorization(last.head())).isEqualTo("Basic YWxpY2U6cHIweHk=");
  }

  /**
   * The {@code Proxy-Authorization} the proxy received, or null. (The JDK sends it after a 407
   * challenge, Hoist's own transport with the first request: the contract is that the proxy gets
   * the credentials when it asks.)
   */
  static String proxyAuthorization(String head) {
    return head.lines()
        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("proxy-authorization:"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse(null);
  }
}
