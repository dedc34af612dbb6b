package dev.hoist.cli;

import dev.hoist.cli.progress.FetchProgress;
import dev.hoist.cli.progress.Glyphs;
import dev.hoist.cli.progress.PlainDisplay;
import dev.hoist.cli.progress.TerminalDisplay;
import dev.hoist.client.ProgressListener;
import dev.hoist.images.Image;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The progress display of one fetch ({@code tty}, {@code plain} or {@code none}) and its last word:
 * the summary line, the JSON summary, or (quiet) the digest alone.
 */
final class FetchDisplay implements AutoCloseable {

  /** How long a download runs between two progress lines of the plain log. */
  static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

  private final FetchProgress progress;
  private final PrintWriter out;
  private final Glyphs glyphs;
  private TerminalDisplay terminal;
  private PlainDisplay plain;

  private FetchDisplay(FetchProgress progress, PrintWriter out, Glyphs glyphs) {
    this.progress = progress;
    this.out = out;
    this.glyphs = glyphs;
  }

  /**
   * Starts showing a fetch's progress.
   *
   * @param mode {@code tty}, {@code plain} or {@code none} (from {@link ProgressMode#choose})
   * @param out where plain lines and the summary go
   */
  static FetchDisplay start(String mode, PrintWriter out) {
    Glyphs glyphs = Glyphs.forNativeEncoding();
    // No plain log: no lines built per blob at all (sizes and rates cost a fresh JVM's
    // interpreter).
    Consumer<String> log =
        "plain".equals(mode)
            ? line -> {
              out.println(line);
              out.flush();
            }
            : null;
    FetchDisplay d = new FetchDisplay(new FetchProgress(Clock.systemUTC(), log), out, glyphs);
    if ("tty".equals(mode)) {
      out.flush();
      // Straight to the terminal, in the charset the glyphs were chosen for.
      PrintStream tty =
          new PrintStream(
              new FileOutputStream(FileDescriptor.out),
              false,
              glyphs == Glyphs.UNICODE ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
      d.terminal = new TerminalDisplay(d.progress, tty, Terminal::cachedSize, glyphs);
      d.terminal.start();
    } else if ("plain".equals(mode)) {
      d.plain = new PlainDisplay(d.progress, log, PLAIN_EVERY);
      d.plain.start();
    }
    return d;
  }

  /** The listener to hand the fetch. */
  ProgressListener listener() {
    return progress;
  }

  /**
   * Stops the display and prints the fetch's last word.
   *
   * @param image what the fetch recorded
   * @param format text or JSON
   * @param quiet print only the root digest
   */
  void finish(Image image, OutputFormat format, boolean quiet) {
    close();
    FetchReport report = FetchReport.of(image, progress);
    if (quiet) {
      out.println(report.digest());
    } else if (format == OutputFormat.JSON) {
      OutputFormat.printJson(out, report.json());
    } else {
      out.println(report.line(glyphs == Glyphs.UNICODE ? "—" : "-"));
    }
    out.flush();
  }

  /** Stops the display (the last frame stays on the screen); idempotent. */
  @Override
  public void close() {
    if (terminal != null) {
      terminal.close();
      terminal = null;
    }
    if (plain != null) {
      plain.close();
      plain = null;
    }
  }
}
