package dev.hoist.remotes.docker;

import dev.hoist.errors.InvalidArgumentException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * How requests to a registry are retried after 408, 429, 500, 502, 503, 504 or a connection error:
 * exponential backoff with jitter, honouring {@code Retry-After}, bounded by a time budget ({@link
 * #retryFor}) and optionally by a number of attempts. containerd retries 429 immediately and
 * ignores {@code Retry-After}; Hoist backs off as c/image and regclient do.
 *
 * <p>The budget is time, not attempts, so that a registry restarting for several seconds is ridden
 * out (the default rides out about a minute of refused connections or 503s), while a host that
 * accepts connections and never answers costs one idle timeout, not one per attempt: no retry
 * starts once the time since the first attempt, plus the next wait, passes {@link #retryFor}.
 *
 * <p>As in containerd, only the last host of a registry's host list is retried: a mirror that fails
 * hands over to the next host at once. Failures that cannot go away are never retried: a
 * certificate that is not trusted, a refused TLS handshake, a TLS handshake answered in plain HTTP.
 *
 * <p>The wait before retry {@code n} (1-based) is {@code min(maxBackoff, baseBackoff * 2^(n-1))}
 * scaled by a random factor in {@code [1 - jitter, 1 + jitter]}, or the server's {@code
 * Retry-After} when that is longer.
 *
 * @param maxAttempts attempts per request including the first, at least 1; {@link
 *     Integer#MAX_VALUE} (the default) leaves the bound to {@code retryFor}
 * @param baseBackoff the wait before the first retry
 * @param maxBackoff the longest computed wait (a longer {@code Retry-After} is still honoured)
 * @param jitter the random spread of each wait, between 0 and 1
 * @param retryFor how long after a request's first attempt another attempt may still start
 * @param random source of jitter; shared, accessed under its own lock
 * @param clock turns a {@code Retry-After} HTTP-date into a wait
 */
public record RetryPolicy(
    int maxAttempts,
    Duration baseBackoff,
    Duration maxBackoff,
    double jitter,
    Duration retryFor,
    RandomGenerator random,
    Clock clock) {

  /**
   * Validates the values.
   *
   * @param maxAttempts attempts per request including the first, at least 1
   * @param baseBackoff the wait before the first retry
   * @param maxBackoff the longest computed wait (a longer {@code Retry-After} is still honoured)
   * @param jitter the random spread of each wait, between 0 and 1
   * @param retryFor how long after a request's first attempt another attempt may still start
   * @param random source of jitter; shared, accessed under its own lock
   * @param clock turns a {@code Retry-After} HTTP-date into a wait
   * @throws IllegalArgumentException when {@code maxAttempts < 1}, a duration is negative or {@code
   *     jitter} is outside 0 to 1
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    requireNonNegative(baseBackoff, "baseBackoff");
    requireNonNegative(maxBackoff, "maxBackoff");
    requireNonNegative(retryFor, "retryFor");
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new InvalidArgumentException("jitter must be between 0 and 1, got " + jitter);
    }
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(clock, "clock");
  }

  /**
   * Retries for 60 s after the first attempt, waiting 200 ms doubling to at most 5 s, 20 % jitter,
   * no limit on the number of attempts.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /**
   * A policy that never retries.
   *
   * @return a policy of one attempt
   */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** {@return a builder with the values of {@link #defaults()}} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from this policy's values.
   *
   * @return a builder holding this policy's values
   */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .baseBackoff(baseBackoff)
        .maxBackoff(maxBackoff)
        .jitter(jitter)
        .retryFor(retryFor)
        .random(random)
        .clock(clock);
  }

  /**
   * The computed wait before retry {@code retry} (1 for the first retry), jitter applied.
   *
   * @param retry the retry's number, from 1
   * @return the wait, at most {@link #maxBackoff()}
   */
  public Duration backoff(int retry) {
    long base = baseBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long nanos = base;
    for (int i = 1; i < retry && nanos < cap; i++) {
      nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
    }
    nanos = Math.min(nanos, cap);
    if (jitter > 0 && nanos > 0) {
      double r;
      synchronized (random) {
        r = random.nextDouble();
      }
      nanos = (long) (nanos * (1 - jitter + 2 * jitter * r));
      nanos = Math.min(nanos, cap);
    }
    return Duration.ofNanos(Math.max(0, nanos));
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new InvalidArgumentException(name + " must not be negative, got " + d);
    }
  }

  /** Builds a {@link RetryPolicy}; every option has the default of {@link #defaults()}. */
  public static final class Builder {
    private int maxAttempts = Integer.MAX_VALUE;
    private Duration baseBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private double jitter = 0.2;
    private Duration retryFor = Duration.ofSeconds(60);
    private RandomGenerator random = new Random();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Attempts per request including the first (default 5).
     *
     * @param n at least 1, checked by {@link #build()}
     * @return this builder
     */
    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /**
     * The wait before the first retry (default 200 ms); it doubles for each later retry.
     *
     * @param d not negative
     * @return this builder
     */
    public Builder baseBackoff(Duration d) {
      this.baseBackoff = d;
      return this;
    }

    /**
     * The longest computed wait (default 10 s).
     *
     * @param d not negative
     * @return this builder
     */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = d;
      return this;
    }

    /**
     * The random spread of each wait (default 0.2, i.e. ±20 %).
     *
     * @param fraction between 0 and 1
     * @return this builder
     */
    public Builder jitter(double fraction) {
      this.jitter = fraction;
      return this;
    }

    /**
     * How long after a request's first attempt another attempt may still start; default 60 s.
     *
     * @param d the budget, zero for no retries
     * @return this builder
     */
    public Builder retryFor(Duration d) {
      this.retryFor = d;
      return this;
    }

    /**
     * The former name of {@link #retryFor}.
     *
     * @param d the budget
     * @return this builder
     * @deprecated use {@link #retryFor}; the budget now counts the time since the first attempt,
     *     not only the waits
     */
    @Deprecated
    public Builder maxTotalRetryTime(Duration d) {
      return retryFor(d);
    }

    /**
     * The source of jitter, e.g. {@code new SplittableRandom(42)} for reproducible tests.
     *
     * @param r the random generator; accessed under its own lock
     * @return this builder
     */
    public Builder random(RandomGenerator r) {
      this.random = r;
      return this;
    }

    /**
     * Jitter from {@code new Random(seed)}.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.random = new Random(seed);
      return this;
    }

    /**
     * The clock that turns a {@code Retry-After} HTTP-date into a wait (default: UTC system clock).
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException when a value is out of range
     * @throws NullPointerException when a duration, the random generator or the clock is null
     */
    public RetryPolicy build() {
      return new RetryPolicy(maxAttempts, baseBackoff, maxBackoff, jitter, retryFor, random, clock);
    }
  }
}
