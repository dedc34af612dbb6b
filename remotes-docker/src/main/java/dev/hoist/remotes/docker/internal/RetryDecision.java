package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.remotes.docker.internal.http1.PlainHttpReplyException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * Whether to send a request again: a pure function of the attempt number, what the attempt got (a
 * reply status or an exception) and the time spent so far, as containerd's {@code retryRequest} and
 * ggcr's {@code retry.go}. The loop that sleeps lives in {@link Requester}; everything it decides
 * is here, so that one table test covers it.
 *
 * <p>Retried: 408, 429, 500, 502, 503, 504 and connection failures (refused, reset, timed out),
 * while the {@link RetryPolicy#retryFor() time budget} lasts. Never retried, because the next
 * attempt fails the same way: a certificate the client does not trust (or a host name it does not
 * match), a TLS handshake the server refused, and a TLS handshake answered in plain HTTP.
 */
public final class RetryDecision {

  private RetryDecision() {}

  /** What an attempt got. */
  public sealed interface Outcome permits Status, Failure {}

  /**
   * A reply.
   *
   * @param status its HTTP status
   * @param retryAfter the wait its {@code Retry-After} header asks for, if any
   */
  public record Status(int status, Optional<Duration> retryAfter) implements Outcome {
    public Status {
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  /**
   * No reply: the request failed.
   *
   * @param error why
   */
  public record Failure(IOException error) implements Outcome {
    public Failure {
      Objects.requireNonNull(error, "error");
    }
  }

  /** What to do next. */
  public sealed interface Verdict permits Answer, Retry, GiveUp {}

  /** The reply is the answer (a success, or a status no retry can change): return it. */
  public record Answer() implements Verdict {}

  /**
   * Send the request again after {@code after}.
   *
   * @param after the wait before the next attempt
   */
  public record Retry(Duration after) implements Verdict {}

  /**
   * Fail with the last outcome.
   *
   * @param why what ended the retries, for the error message (for example "retry budget of 60 s
   *     spent")
   */
  public record GiveUp(String why) implements Verdict {}

  /** Statuses worth another attempt: the server may answer differently later. */
  public static boolean isRetryableStatus(int status) {
    return status == 408
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504;
  }

  /**
   * Decides after attempt {@code attempt}.
   *
   * @param policy backoff, jitter (the policy's random source) and budget
   * @param attempt the attempt that just ended, from 1
   * @param outcome what it got
   * @param elapsed time since the first attempt started
   * @param lastHost false when another host follows, which gets the request instead of a retry
   * @return the verdict
   */
  public static Verdict decide(
      RetryPolicy policy, int attempt, Outcome outcome, Duration elapsed, boolean lastHost) {
    Optional<Duration> asked = Optional.empty();
    if (outcome instanceof Status s) {
      if (!isRetryableStatus(s.status())) {
        return new Answer();
      }
      asked = s.retryAfter();
    } else {
      IOException e = ((Failure) outcome).error();
      String permanent = permanentFailure(e);
      if (permanent != null) {
        return new GiveUp(permanent);
      }
    }
    if (!lastHost) {
      return new GiveUp("the next host is asked instead");
    }
    if (attempt >= policy.maxAttempts()) {
      return new GiveUp(attempt + " attempts");
    }
    Duration delay = policy.backoff(attempt);
    if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
      delay = asked.get();
    }
    if (elapsed.plus(delay).compareTo(policy.retryFor()) > 0) {
      return new GiveUp(
          attempt
              + (attempt == 1 ? " attempt" : " attempts")
              + " in "
              + elapsed.toMillis()
              + " ms; the next, in "
              + delay.toMillis()
              + " ms, would start after the retry budget of "
              + policy.retryFor().toMillis()
              + " ms");
    }
    return new Retry(delay);
  }

  /**
   * Why {@code e} cannot go away on a retry, or null when it may. Decided by exception types, never
   * by message text.
   */
  static String permanentFailure(IOException e) {
    if (e instanceof PlainHttpReplyException) {
      return "the server speaks plain HTTP";
    }
    boolean handshake = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateException) {
        return "the server's certificate was refused";
      }
      if (t instanceof SSLHandshakeException) {
        handshake = true;
      }
      if (handshake && (t instanceof EOFException || t instanceof SocketException)) {
        return null; // the connection broke during the handshake: a restarting server, say
      }
    }
    return handshake ? "the TLS handshake was refused" : null;
  }
}
