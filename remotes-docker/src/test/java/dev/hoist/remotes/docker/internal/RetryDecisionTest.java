package dev.hoist.remotes.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.remotes.docker.internal.RetryDecision.Answer;
import dev.hoist.remotes.docker.internal.RetryDecision.Failure;
import dev.hoist.remotes.docker.internal.RetryDecision.GiveUp;
import dev.hoist.remotes.docker.internal.RetryDecision.Outcome;
import dev.hoist.remotes.docker.internal.RetryDecision.Retry;
import dev.hoist.remotes.docker.internal.RetryDecision.Status;
import dev.hoist.remotes.docker.internal.RetryDecision.Verdict;
import dev.hoist.remotes.docker.internal.http1.PlainHttpReplyException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The retry decision as a table: (attempt, outcome, elapsed, last host?) → verdict. */
class RetryDecisionTest {

  /** The defaults without jitter, so that every wait in the table is exact. */
  static final RetryPolicy POLICY = RetryPolicy.builder().jitter(0).build();

  static Outcome status(int s) {
    return new Status(s, Optional.empty());
  }

  static Outcome failure(IOException e) {
    return new Failure(e);
  }

  static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("handshake");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  static Verdict retry(long millis) {
    return new Retry(Duration.ofMillis(millis));
  }

  static Stream<Arguments> table() {
    Duration zero = Duration.ZERO;
    return Stream.of(
        // description, attempt, outcome, elapsed, lastHost, expected (a GiveUp compares by type
        // only)
        Arguments.of("200 is the answer", 1, status(200), zero, true, new Answer()),
        Arguments.of("404 is the answer", 1, status(404), zero, true, new Answer()),
        Arguments.of(
            "401 is the answer (the authorizer step handles it)",
            1,
            status(401),
            zero,
            true,
            new Answer()),
        Arguments.of(
            "503 first retry waits the base backoff", 1, status(503), zero, true, retry(200)),
        Arguments.of(
            "500 third retry doubles twice",
            3,
            status(500),
            Duration.ofSeconds(1),
            true,
            retry(800)),
        Arguments.of(
            "502 tenth retry is capped",
            10,
            status(502),
            Duration.ofSeconds(20),
            true,
            retry(5000)),
        Arguments.of("408 retried", 1, status(408), zero, true, retry(200)),
        Arguments.of("504 retried", 1, status(504), zero, true, retry(200)),
        Arguments.of(
            "429 with a longer Retry-After waits that",
            1,
            new Status(429, Optional.of(Duration.ofSeconds(7))),
            zero,
            true,
            retry(7000)),
        Arguments.of(
            "429 with a shorter Retry-After waits the backoff",
            4,
            new Status(429, Optional.of(Duration.ofMillis(10))),
            zero,
            true,
            retry(1600)),
        Arguments.of(
            "503 is not retried when another host follows",
            1,
            status(503),
            zero,
            false,
            new GiveUp("")),
        Arguments.of(
            "503 at 59.9 s: the next wait passes the budget",
            20,
            status(503),
            Duration.ofMillis(59_900),
            true,
            new GiveUp("")),
        Arguments.of(
            "a Retry-After past the budget gives up",
            1,
            new Status(503, Optional.of(Duration.ofSeconds(61))),
            zero,
            true,
            new GiveUp("")),
        Arguments.of(
            "connection refused is retried",
            1,
            failure(new ConnectException("refused")),
            zero,
            true,
            retry(200)),
        Arguments.of(
            "connection refused at 30 s is still retried",
            12,
            failure(new ConnectException("refused")),
            Duration.ofSeconds(30),
            true,
            retry(5000)),
        Arguments.of(
            "no reply within the idle timeout of 60 s: the budget is spent",
            1,
            failure(new HttpTimeoutException("no reply")),
            Duration.ofSeconds(60),
            true,
            new GiveUp("")),
        Arguments.of(
            "an untrusted certificate is never retried",
            1,
            failure(handshake(new CertificateException("PKIX"))),
            zero,
            true,
            new GiveUp("")),
        Arguments.of(
            "a refused handshake is never retried",
            1,
            failure(handshake(null)),
            zero,
            true,
            new GiveUp("")),
        Arguments.of(
            "a handshake cut by the connection closing is retried",
            1,
            failure(handshake(new EOFException("closed"))),
            zero,
            true,
            retry(200)),
        Arguments.of(
            "a TLS handshake answered in plain HTTP is never retried",
            1,
            failure(new PlainHttpReplyException("registry.test:443", null)),
            zero,
            true,
            new GiveUp("")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(
      String description,
      int attempt,
      Outcome outcome,
      Duration elapsed,
      boolean lastHost,
      Verdict expected) {
    Verdict v = RetryDecision.decide(POLICY, attempt, outcome, elapsed, lastHost);

    if (expected instanceof GiveUp) {
      assertThat(v).isInstanceOf(GiveUp.class);
    } else {
      assertThat(v).isEqualTo(expected);
    }
  }

  @Test
  void theAttemptLimitIsHonouredWhenOneIsSet() {
    RetryPolicy three = POLICY.toBuilder().maxAttempts(3).build();

    assertThat(RetryDecision.decide(three, 2, status(503), Duration.ZERO, true))
        .isEqualTo(retry(400));
    assertThat(RetryDecision.decide(three, 3, status(503), Duration.ZERO, true))
        .isEqualTo(new GiveUp("3 attempts"));
  }

  @Test
  void aRegistryRefusingConnectionsIsAskedForAMinuteThenGivenUp() {
    // Simulated time: each attempt fails at once, so the elapsed time is the sum of the waits.
    RetryPolicy policy = RetryPolicy.builder().random(new SplittableRandom(5)).build();
    Duration elapsed = Duration.ZERO;
    int attempt = 1;
    Verdict v;
    while ((v =
            RetryDecision.decide(
                policy, attempt, failure(new ConnectException("refused")), elapsed, true))
        instanceof Retry r) {
      elapsed = elapsed.plus(r.after());
      attempt++;
    }

    assertThat(v).isInstanceOf(GiveUp.class);
    assertThat(((GiveUp) v).why()).contains("retry budget of 60000 ms");
    // Rides out at least 30 s (a restarting registry), and never starts an attempt after 60 s.
    assertThat(elapsed).isBetween(Duration.ofSeconds(54), Duration.ofSeconds(60));
    assertThat(attempt).isBetween(12, 20);
  }

  @Test
  void jitterComesFromThePolicysSeededSource() {
    RetryPolicy a = RetryPolicy.builder().random(new SplittableRandom(9)).build();
    RetryPolicy b = RetryPolicy.builder().random(new SplittableRandom(9)).build();

    Verdict first = RetryDecision.decide(a, 1, status(503), Duration.ZERO, true);

    assertThat(first).isEqualTo(RetryDecision.decide(b, 1, status(503), Duration.ZERO, true));
    assertThat(((Retry) first).after()).isBetween(Duration.ofMillis(160), Duration.ofMillis(240));
  }
}
