package dev.hoist.cli.progress;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Redraws the progress table in place about ten times a second. Each frame moves the cursor up
 * over the previous frame and rewrites every line, clearing to the end of line, so nothing
 * flickers (no full-screen clear).
 */
public final class TerminalDisplay implements AutoCloseable {

  private static final String CLEAR_EOL = "\u001b[K";

  private final FetchProgress progress;
  private final PrintStream out;
  private final int width;
  private final ScheduledExecutorService ticker;
  private int lastLines;

  public TerminalDisplay(FetchProgress progress, PrintStream out, int width) {
    this.progress = progress;
    this.out = out;
    this.width = width;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hoist-progress");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    ticker.scheduleAtFixedRate(this::draw, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** Draws one frame; public so that tests can render without the timer. */
  public synchronized void draw() {
    List<String> lines = ProgressTable.lines(progress, width);
    StringBuilder b = new StringBuilder();
    if (lastLines > 0) {
      b.append("\u001b[").append(lastLines).append('A').append('\r');
    }
    for (String l : lines) {
      b.append(l).append(CLEAR_EOL).append('\n');
    }
    out.print(b);
    out.flush();
    lastLines = lines.size();
  }

  /** Stops the timer and draws the final frame. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw();
  }
}
