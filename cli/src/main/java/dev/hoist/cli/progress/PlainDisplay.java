package dev.hoist.cli.progress;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The plain log's timer: every second it asks {@link FetchProgress#progressLines} for downloads
 * that have gone {@code every} without a line, so a long download of one big layer still shows
 * signs of life in a CI log. The start and end lines come from the events themselves.
 */
public final class PlainDisplay implements AutoCloseable {

  private final FetchProgress progress;
  private final Consumer<String> log;
  private final Duration every;
  private final ScheduledExecutorService ticker;

  /**
   * @param progress the fetch
   * @param log where lines go (the same place the events' lines go)
   * @param every how long a download runs between two of its progress lines
   */
  public PlainDisplay(FetchProgress progress, Consumer<String> log, Duration every) {
    this.progress = progress;
    this.log = log;
    this.every = every;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hoist-progress");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the timer. */
  public void start() {
    ticker.scheduleAtFixedRate(
        () -> progress.progressLines(every).forEach(log), 1, 1, TimeUnit.SECONDS);
  }

  /** Stops the timer. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
