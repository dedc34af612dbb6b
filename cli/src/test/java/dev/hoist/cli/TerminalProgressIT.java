package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code hoist demo} through a real pseudo-terminal (tmux, a private server): the launcher picks
 * the live table by itself, asks the tty for its size, and redraws in place. What tmux keeps, the
 * screen plus the whole scrollback, must hold the table's header once and no table line wider than
 * the terminal.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TerminalProgressIT {

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"80, 24", "80, 10", "160, 40"})
  void liveTableFitsTheTerminalAndLeavesOneHeaderInTheScrollback(int columns, int rows)
      throws Exception {
    List<String> screen =
        runInTmux(
            columns,
            rows,
            "demo",
            "--store",
            tmp.resolve("store").toString(),
            "--layer-size",
            "3000000");

    assertThat(screen).anySatisfy(l -> assertThat(l).isEqualTo("exit=0"));
    String image = image(screen);
    List<String> headers = screen.stream().filter(l -> l.startsWith(image + "  ")).toList();
    assertThat(headers)
        .as("header lines in screen and scrollback:\n%s", String.join("\n", screen))
        .hasSize(1);
    assertThat(headers.get(0)).contains(" / ").contains("MiB");
    // The table: from the header to the summary. The demo's own lines (registry, summary, try) are
    // printed once and may wrap; the table must not, or the in-place redraw would scroll.
    int from = screen.indexOf(headers.get(0));
    int to = indexStarting(screen, "fetched ");
    assertThat(to).isGreaterThan(from);
    List<String> table = screen.subList(from, to);
    assertThat(table)
        .allSatisfy(
            l -> assertThat(l.codePointCount(0, l.length())).as(l).isLessThanOrEqualTo(columns));
    assertThat(table.size()).isLessThanOrEqualTo(rows - 1);
    assertThat(table).anySatisfy(l -> assertThat(l).startsWith("layer-sha256:").contains(" done "));
    if (columns >= 120) {
      // The width was asked of the tty (the fallback is 80): wide terminals get full 40-cell bars.
      assertThat(table).anySatisfy(l -> assertThat(l).matches(".*\\|[█▏▎▍▌▋▊▉ +-]{40}\\|.*"));
    }
    // 16 blobs: on 10 rows they cannot all be shown, and the rest are counted.
    if (rows - 2 < 16) {
      assertThat(table.get(table.size() - 1)).matches("\\+ \\d+ done");
    }
    assertThat(screen.get(to)).contains("16 blobs: 16 downloaded");
  }

  private List<String> runInTmux(int columns, int rows, String... args)
      throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tmux"))
            || System.getenv("HOIST_REQUIRE_REGISTRY") != null,
        "tmux is not installed");
    Path socket = tmp.resolve("tmux.sock");
    Path conf =
        Files.writeString(
            tmp.resolve("tmux.conf"), "set -g remain-on-exit on\nset -g history-limit 10000\n");
    Path home = Files.createDirectories(tmp.resolve("home"));
    StringBuilder cmd =
        new StringBuilder("env LANG=C.UTF-8 HOIST_CDS=0")
            .append(" HOME=")
            .append(q(home.toString()))
            .append(" JAVA_HOME=")
            .append(q(System.getProperty("java.home")))
            .append(' ')
            .append(q(Path.of("target", "hoist").toAbsolutePath().toString()));
    for (String a : args) {
      cmd.append(' ').append(q(a));
    }
    cmd.append("; echo exit=$?; tmux -S ").append(q(socket.toString())).append(" wait-for -S done");
    try {
      run(
          List.of(
              "tmux",
              "-u",
              "-S",
              socket.toString(),
              "-f",
              conf.toString(),
              "new-session",
              "-d",
              "-x",
              String.valueOf(columns),
              "-y",
              String.valueOf(rows),
              "-s",
              "hoist",
              cmd.toString()));
      run(List.of("tmux", "-S", socket.toString(), "wait-for", "done"));
      String captured =
          run(
              List.of(
                  "tmux",
                  "-S",
                  socket.toString(),
                  "capture-pane",
                  "-p",
                  "-J",
                  "-S",
                  "-",
                  "-t",
                  "hoist"));
      List<String> lines = new ArrayList<>(captured.lines().map(String::stripTrailing).toList());
      while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      return lines;
    } finally {
      new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server")
          .redirectErrorStream(true)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish");
    }
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return out;
  }

  /** The image reference from the demo's first line ({@code registry: … image: REF store: …}). */
  private static String image(List<String> screen) {
    Matcher m = Pattern.compile("image: (\\S+)").matcher(String.join("\n", screen));
    assertThat(m.find()).as("%s", screen).isTrue();
    return m.group(1);
  }

  private static int indexStarting(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void plainProgressIsChosenWhenStdoutIsNotATerminal() throws Exception {
    LauncherRun run =
        Launcher.inTarget(tmp.resolve("home"))
            .with("HOIST_CDS", "0")
            .run("demo", "--store", tmp.resolve("s").toString(), "--layer-size", "4096");

    assertThat(run.status()).as("%s", run).isZero();
    assertThat(run.out()).contains(": downloading ").contains(": done ").doesNotContain("\u001b[");
  }
}
