package dev.hoist.cli;

import dev.hoist.cli.progress.TerminalSize;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What little the CLI needs to know about the terminal. */
final class Terminal {

  private static volatile TerminalSize cached;
  private static volatile boolean resized;

  private Terminal() {}

  /**
   * The terminal's size, asked once and again after each SIGWINCH (the terminal was resized): cheap
   * enough to call before every frame.
   */
  static TerminalSize cachedSize() {
    if (cached == null) {
      watchResizes();
      cached = size();
    } else if (resized) {
      resized = false;
      cached = size();
    }
    return cached;
  }

  @SuppressWarnings("sunapi") // sun.misc.Signal: the only way to hear SIGWINCH; JDK 17-25 keep it
  private static void watchResizes() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> resized = true);
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // No such signal here (not a Unix): sizes are asked once.
    }
  }

  /**
   * Whether stdin and stdout are a terminal. On JDK 22+ {@code System.console()} may return a
   * console for redirected streams too, so its {@code isTerminal()} (JDK 22+) is asked when
   * present.
   */
  static boolean interactive() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(c);
    } catch (NoSuchMethodException e) {
      return true; // JDK 17-21: a console exists only for a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The terminal's width; kept for code written before {@link #cachedSize()} (new code: {@link
   * FetchDisplay}, which also knows the height).
   */
  static int width() {
    return cachedSize().columns();
  }

  /**
   * The terminal's size, asked of the tty ({@code stty size < /dev/tty}, one short process); else
   * {@code $COLUMNS} and {@code $LINES}; else 80×24.
   */
  static TerminalSize size() {
    TerminalSize asked = stty();
    if (asked != null) {
      return asked;
    }
    return new TerminalSize(env("COLUMNS"), env("LINES"));
  }

  private static TerminalSize stty() {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return null;
    }
    try {
      Process p =
          new ProcessBuilder("stty", "size")
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String answer =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      String[] rowsCols = answer.split("\\s+");
      if (rowsCols.length != 2) {
        return null;
      }
      int rows = Integer.parseInt(rowsCols[0]);
      int cols = Integer.parseInt(rowsCols[1]);
      return rows > 0 && cols > 0 ? new TerminalSize(cols, rows) : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int env(String name) {
    String v = System.getenv(name);
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
