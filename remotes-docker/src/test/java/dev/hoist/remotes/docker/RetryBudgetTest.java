package dev.hoist.remotes.docker;

import static dev.hoist.remotes.docker.TestkitFetches.blobGets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistryExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retry budget is time (issue 14 item 4): restarts are ridden out, silent hosts cost one
 * timeout.
 */
@Timeout(60)
class RetryBudgetTest {

  @RegisterExtension static final TestRegistryExtension REGISTRY = new TestRegistryExtension();

  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(1, 4096).seed(21).build());

  final RecordingSleeper sleeper = new RecordingSleeper();

  @BeforeAll
  static void push() {
    REGISTRY.registry().push("budget/app:1", IMAGE);
  }

  static Duration total(List<Duration> waits) {
    return waits.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Test
  void aRegistryAnswering503ForHalfAMinuteIsRiddenOutWithTheDefaultPolicy() throws Exception {
    Descriptor layer = IMAGE.layers().get(0);
    REGISTRY
        .registry()
        .faults()
        .add(FaultRule.on("GET", "/blobs/" + layer.digest()).first(10).inject(Fault.status(503)));
    DockerResolver resolver =
        DockerResolver.builder()
            .sleeper(sleeper)
            .retryPolicy(RetryPolicy.builder().random(new SplittableRandom(3)).build())
            .build();

    try (InputStream in =
        resolver.fetcher(REGISTRY.registry().reference("budget/app:1")).fetch(layer)) {
      assertThat(in.readAllBytes()).hasSize((int) layer.size());
    }

    assertThat(blobGets(REGISTRY.registry(), layer.digest()))
        .extracting(LoggedRequest::status)
        .hasSize(11)
        .endsWith(200);
    // Five attempts (the former limit) would have given up after about 6 s.
    assertThat(total(sleeper.waits)).isGreaterThan(Duration.ofSeconds(24));
  }

  @Test
  void aRegistryStaying503GivesUpWhenTheTimeBudgetIsSpent() {
    Descriptor layer = IMAGE.layers().get(0);
    REGISTRY.registry().faults().add("GET", "/blobs/" + layer.digest() + "$", Fault.status(503));
    DockerResolver resolver =
        DockerResolver.builder()
            .sleeper(sleeper)
            .retryPolicy(
                RetryPolicy.builder()
                    .retryFor(Duration.ofSeconds(10))
                    .random(new SplittableRandom(4))
                    .build())
            .build();

    assertThatThrownBy(
            () ->
                resolver
                    .fetcher(REGISTRY.registry().reference("budget/app:1"))
                    .fetch(layer)
                    .close())
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("503")
        .hasMessageContaining("retry budget of 10000 ms");
    assertThat(total(sleeper.waits)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(10));
  }

  @Test
  void aHostThatAcceptsAndNeverAnswersCostsOneIdleTimeoutWhenTheBudgetIsShorter() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException e) {
                  done.countDown(); // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      DockerResolver resolver =
          DockerResolver.builder()
              .readIdleTimeout(Duration.ofMillis(700))
              .retryPolicy(RetryPolicy.builder().retryFor(Duration.ofMillis(500)).build())
              .build();
      long start = System.nanoTime();

      assertThatThrownBy(
              () -> resolver.resolve("127.0.0.1:" + silent.getLocalPort() + "/silent/app:1"))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("700 ms");

      // One attempt: it alone took longer than the budget. Five attempts took five idle timeouts.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (accepted.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the acceptor thread records the connection the client already made
      }
      assertThat(accepted).hasSize(1);
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aTlsHandshakeAnsweredInPlainHttpFailsAtOnceSayingHowToConfigureHttp() throws Exception {
    // As Go's HTTP server: whatever arrives that is not HTTP gets a 400 and the connection closes.
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                while (!plain.isClosed()) {
                  try (Socket s = plain.accept()) {
                    accepted.add(s);
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream()
                        .write(
                            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                  } catch (IOException e) {
                    // closed by the test, or the client hung up
                  }
                }
              });
      server.setDaemon(true);
      server.start();
      String authority = "127.0.0.1:" + plain.getLocalPort();
      RegistryHost https =
          new RegistryHost(
              DockerHosts.defaults().transport(),
              Authorizer.NONE,
              "https",
              authority,
              "/v2",
              EnumSet.allOf(HostCapability.class),
              Map.of());
      DockerResolver resolver =
          DockerResolver.builder().sleeper(sleeper).hosts(h -> List.of(https)).build();

      assertThatThrownBy(() -> resolver.resolve(authority + "/budget/app:1"))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("answered in plain HTTP")
          .hasMessageContaining("--plain-http")
          .hasMessageContaining("server = \"http://" + authority + "\"");
      assertThat(sleeper.waits).isEmpty();
      assertThat(accepted).hasSize(2); // the handshake and the plain-HTTP question
    }
  }
}
