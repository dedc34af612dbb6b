package dev.hoist.cli.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * A download rate over a sliding window of samples: steadier than bytes over the whole fetch (which
 * lags after a stall) and than the last interval alone (which jumps with every 1 MiB chunk).
 */
final class RateMeter {

  private record Sample(Instant at, long bytes) {}

  private final Duration window;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  RateMeter(Duration window) {
    this.window = window;
  }

  /**
   * Records {@code bytes} (a running total) at {@code now}; returns bytes per second over the
   * window.
   */
  synchronized double sample(Instant now, long bytes) {
    samples.addLast(new Sample(now, bytes));
    // Keep one sample at or beyond the window's start, so the window is never empty after a pause.
    while (samples.size() > 2 && Duration.between(secondOldest(), now).compareTo(window) >= 0) {
      samples.removeFirst();
    }
    Sample first = samples.peekFirst();
    long millis = Duration.between(first.at(), now).toMillis();
    if (millis <= 0) {
      return 0;
    }
    return (bytes - first.bytes()) * 1000.0 / millis;
  }

  private Instant secondOldest() {
    var it = samples.iterator();
    it.next();
    return it.next().at();
  }
}
