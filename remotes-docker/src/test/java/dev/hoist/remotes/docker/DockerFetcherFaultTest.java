package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection faults in the middle of a body, against a raw scripted server. */
@Timeout(30)
class DockerFetcherFaultTest {

  static final byte[] LAYER =
      "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);
  static final Descriptor DESC =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length);

  final RecordingSleeper sleeper = new RecordingSleeper();

  DockerFetcher fetcher(ScriptedHttpServer server, Duration idle) throws Exception {
    return DockerResolver.builder()
        .sleeper(sleeper)
        .httpVersion(java.net.http.HttpClient.Version.HTTP_1_1)
        .readIdleTimeout(idle)
        .build()
        .fetcher("localhost:" + server.port() + "/team/app:1");
  }

  @Test
  void truncatedBodyResumesWithARangeFromTheBytesAlreadyRead() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            (req, out, closing) -> {
              out.write(ScriptedHttpServer.head(200, LAYER.length));
              out.write(LAYER, 0, 10); // then the connection closes: 26 bytes short
            },
            (req, out, closing) -> {
              out.write(
                  ScriptedHttpServer.head(
                      206,
                      LAYER.length - 10,
                      "Content-Range: bytes 10-" + (LAYER.length - 1) + "/" + LAYER.length));
              out.write(LAYER, 10, LAYER.length - 10);
            })) {

      byte[] got;
      try (InputStream in = fetcher(server, Duration.ofSeconds(10)).fetch(DESC)) {
        got = in.readAllBytes();
      }

      assertThat(got).isEqualTo(LAYER);
      assertThat(server.requests).hasSize(2);
      assertThat(server.requests.get(0).header("Range")).isNull();
      assertThat(server.requests.get(1).header("Range")).isEqualTo("bytes=10-");
    }
  }

  @Test
  void bodyThatKeepsBreakingWithoutProgressFailsWithUnavailable() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            (req, out, closing) -> {
              out.write(ScriptedHttpServer.head(200, LAYER.length));
              out.write(LAYER, 0, 10);
            },
            (req, out, closing) ->
                out.write(
                    ScriptedHttpServer.head(
                        206,
                        LAYER.length - 10,
                        "Content-Range: bytes 10-" + (LAYER.length - 1) + "/" + LAYER.length)))) {

      assertThatThrownBy(
              () -> {
                try (InputStream in = fetcher(server, Duration.ofSeconds(10)).fetch(DESC)) {
                  in.readAllBytes();
                }
              })
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("at byte 10 of " + LAYER.length)
          .hasMessageContaining(DESC.digest().toString());
      // The first request, then resumes from byte 10 (the server closing right after the headers
      // may also cost a retried request now and then).
      assertThat(server.requests).hasSizeGreaterThanOrEqualTo(3);
      assertThat(server.requests.subList(1, server.requests.size()))
          .allSatisfy(r -> assertThat(r.header("Range")).isEqualTo("bytes=10-"));
    }
  }

  @Test
  void stalledBodyFailsWithUnavailableInsteadOfHanging() throws Exception {
    try (ScriptedHttpServer server = new ScriptedHttpServer(stallAfter(5))) {

      assertThatThrownBy(
              () -> {
                try (InputStream in = fetcher(server, Duration.ofMillis(300)).fetch(DESC)) {
                  in.readAllBytes();
                }
              })
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("no data received for 300 ms");
    }
  }

  @Test
  void serverThatNeverAnswersTimesOutAndIsRetried() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer((req, out, closing) -> closing.await())) {
      DockerFetcher fetcher =
          DockerResolver.builder()
              .sleeper(sleeper)
              .httpVersion(java.net.http.HttpClient.Version.HTTP_1_1)
              .readIdleTimeout(Duration.ofMillis(300))
              .retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
              .build()
              .fetcher("localhost:" + server.port() + "/team/app:1");

      assertThatThrownBy(() -> fetcher.fetch(DESC))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("localhost:" + server.port());
      assertThat(server.requests).hasSize(2);
      assertThat(sleeper.waits).hasSize(1);
    }
  }

  @Test
  void interruptingAReaderEndsTheReadAsInterruptedNotAsANetworkFailure() throws Exception {
    java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            (req, out, closing) -> {
              out.write(ScriptedHttpServer.head(200, LAYER.length));
              out.write(LAYER, 0, 5);
              out.flush();
              sent.countDown();
              closing.await();
            })) {
      DockerFetcher fetcher = fetcher(server, Duration.ofSeconds(20));
      java.util.concurrent.CompletableFuture<Throwable> outcome =
          new java.util.concurrent.CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (InputStream in = fetcher.fetch(DESC)) {
                  in.readAllBytes();
                  outcome.complete(null);
                } catch (Throwable t) {
                  outcome.complete(t);
                }
              });
      reader.start();
      sent.await();

      reader.interrupt();

      assertThat(outcome.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(server.requests).hasSize(1);
    }
  }

  @Test
  void interruptWhileWaitingForTheReplyEndsAsInterruptedWithoutARetry() throws Exception {
    java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            (req, out, closing) -> {
              received.countDown();
              closing.await(); // never answers
            })) {
      DockerFetcher fetcher = fetcher(server, Duration.ofSeconds(20));
      java.util.concurrent.CompletableFuture<Throwable> outcome =
          new java.util.concurrent.CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try (InputStream in = fetcher.fetch(DESC)) {
                  outcome.complete(null);
                } catch (Throwable t) {
                  outcome.complete(t);
                }
              });
      caller.start();
      received.await();

      // A cancelled download (Dispatch cancelling the rest after a failure) must stop, not be
      // retried as if the network had failed.
      caller.interrupt();

      assertThat(outcome.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(sleeper.waits).isEmpty();
      assertThat(server.requests).hasSize(1);
    }
  }

  @Test
  void fetchOnAnInterruptedThreadFailsAsInterruptedWithoutARetry() throws Exception {
    try (ScriptedHttpServer server =
        new ScriptedHttpServer(
            (req, out, closing) -> out.write(ScriptedHttpServer.head(200, LAYER.length)))) {
      DockerFetcher fetcher = fetcher(server, Duration.ofSeconds(20));

      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> fetcher.fetch(DESC).close())
            .isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(sleeper.waits).isEmpty();
    }
  }

  private static ScriptedHttpServer.Responder stallAfter(int bytes) {
    return (req, out, closing) -> {
      String range = req.header("Range");
      int from =
          range == null
              ? 0
              : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
      if (range == null) {
        out.write(ScriptedHttpServer.head(200, LAYER.length));
      } else {
        out.write(
            ScriptedHttpServer.head(
                206,
                LAYER.length - from,
                "Content-Range: bytes " + from + "-" + (LAYER.length - 1) + "/" + LAYER.length));
      }
      if (range == null) {
        out.write(Arrays.copyOfRange(LAYER, 0, bytes)); // later replies send headers only
      }
      out.flush();
      closing.await();
    };
  }
}
