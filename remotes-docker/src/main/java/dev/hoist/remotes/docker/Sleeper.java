package dev.hoist.remotes.docker;

import java.time.Duration;

/**
 * Waits between retries. A seam so that tests observe backoff without sleeping; the default is
 * {@link #SYSTEM}.
 */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps with {@link Thread#sleep(long, int)}; interruptible. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

  /**
   * Waits {@code duration}, or throws when the thread is interrupted.
   *
   * @param duration how long to wait, not negative
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;
}
