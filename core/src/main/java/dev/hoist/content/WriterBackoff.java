package dev.hoist.content;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * The timing of {@link Blobs#openWriter}'s retries, as containerd's {@code content.OpenWriter}:
 * full jitter, a random delay in {@code [0, bound)} milliseconds, the bound doubling from 16 ms up
 * to 2048 ms. The randomness, the sleep and the time source are seams so that tests neither sleep
 * nor depend on luck.
 */
final class WriterBackoff {

  /** Sleeps; {@link Thread#sleep(long)} in production. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  static final int FIRST_BOUND_MILLIS = 16;
  static final int MAX_BOUND_MILLIS = 2048;

  static final WriterBackoff SYSTEM =
      new WriterBackoff(
          bound -> ThreadLocalRandom.current().nextInt(bound), Thread::sleep, System::nanoTime);

  /** Given a bound, returns a value in {@code [0, bound)}. */
  final IntUnaryOperator jitter;

  final Sleeper sleeper;
  final LongSupplier nanoTime;

  WriterBackoff(IntUnaryOperator jitter, Sleeper sleeper, LongSupplier nanoTime) {
    this.jitter = jitter;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  static int nextBound(int bound) {
    return bound < MAX_BOUND_MILLIS ? bound << 1 : bound;
  }
}
