package dev.hoist.cli.progress;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Redraws the progress table in place about ten times a second. Each frame moves the cursor up over
 * the previous frame, rewrites every line (clearing to its end) and clears whatever the previous
 * frame left below, so nothing flickers and nothing is left in the scrollback: that holds because a
 * frame never has a line as wide as the terminal (no wrap, and no cursor parked in the last column)
 * and never more lines than the terminal has rows minus one.
 */
public final class TerminalDisplay implements AutoCloseable {

  private static final String CLEAR_EOL = "\u001b[K";
  private static final String CLEAR_BELOW = "\u001b[J";

  private final FetchProgress progress;
  private final PrintStream out;
  private final Supplier<TerminalSize> size;
  private final Glyphs glyphs;
  private final ScheduledExecutorService ticker;
  private int lastLines;

  /**
   * @param progress the fetch to show
   * @param out the terminal
   * @param size the terminal's current size, asked before every frame (so it must be cheap)
   * @param glyphs how bars are drawn
   */
  public TerminalDisplay(
      FetchProgress progress, PrintStream out, Supplier<TerminalSize> size, Glyphs glyphs) {
    this.progress = progress;
    this.out = out;
    this.size = size;
    this.glyphs = glyphs;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hoist-progress");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A display for a terminal {@code width} columns wide and assumed 24 rows high; kept for code
   * written before the terminal's height was known (new code: the size-supplier constructor).
   *
   * @param progress the fetch to show
   * @param out the terminal
   * @param width its width
   */
  public TerminalDisplay(FetchProgress progress, PrintStream out, int width) {
    this(
        progress,
        out,
        () -> new TerminalSize(width, TerminalSize.DEFAULT.rows()),
        Glyphs.forNativeEncoding());
  }

  /** Starts redrawing. */
  public void start() {
    ticker.scheduleAtFixedRate(this::draw, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** Draws one frame; public so that tests can render without the timer. */
  public synchronized void draw() {
    TerminalSize s = size.get();
    // One column short of the width: a line that fills the last column leaves the cursor in the
    // "pending wrap" state, where terminals disagree about what the next newline does.
    List<String> lines =
        ProgressTable.lines(
            progress, new TerminalSize(Math.max(1, s.columns() - 1), s.rows()), glyphs);
    StringBuilder b = new StringBuilder();
    if (lastLines > 0) {
      b.append("\u001b[").append(lastLines).append('A').append('\r');
    }
    for (String l : lines) {
      b.append(l).append(CLEAR_EOL).append('\n');
    }
    b.append(CLEAR_BELOW);
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
