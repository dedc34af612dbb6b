package dev.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says about itself, and how it refuses a line it cannot run (exit 2). */
class HoistCliUsageTest {

  @TempDir Path tmp;

  @Test
  void noArgumentsListsEveryCommand() {
    CliRun run = CliRun.of();

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .startsWith("Usage: hoist ")
        .contains(
            "  fetch ",
            "  images ls ",
            "  content ls ",
            "  content verify ",
            "  demo ",
            "  help [COMMAND]");
    assertThat(CliRun.of("--help").out()).isEqualTo(run.out());
  }

  @Test
  void versionIsOneLine() {
    CliRun run = CliRun.of("--version");

    assertThat(run.status()).isZero();
    assertThat(run.out()).matches("hoist \\S+\\R");
  }

  @Test
  void commandHelpListsItsOperandAndOptions() {
    CliRun run = CliRun.of("fetch", "--help");

    assertThat(run.status()).isZero();
    assertThat(run.out())
        .startsWith("Usage: hoist fetch [OPTIONS] REF\n")
        .contains(
            "--store DIR",
            "--platform P",
            "--all-platforms",
            "--all-metadata",
            "--metadata-only",
            "--plain-http",
            "--skip-verify",
            "--hosts-dir DIR",
            "--user USER[:SECRET]",
            "--retry-for DURATION",
            "--idle-timeout DURATION",
            "--max-concurrent-downloads N",
            "--label KEY=VALUE",
            "--progress MODE",
            "--debug",
            "-h, --help");
    assertThat(CliRun.of("help", "fetch").out()).isEqualTo(run.out());
    assertThat(CliRun.of("help", "content", "verify").out())
        .isEqualTo(CliRun.of("content", "verify", "-h").out())
        .startsWith("Usage: hoist content verify [OPTIONS]\n");
  }

  @Test
  void aGroupAloneListsItsCommands() {
    CliRun run = CliRun.of("content");

    assertThat(run.status()).isZero();
    assertThat(run.out()).contains("content ls", "content verify").doesNotContain("fetch");
  }

  @Test
  void unknownCommandIsAUsageErrorNamingIt() {
    CliRun run = CliRun.of("no-such-command");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("hoist: unknown command 'no-such-command'\nRun 'hoist --help' for usage.\n");
    assertThat(CliRun.of("content", "nope").err()).contains("'content nope'");
    assertThat(CliRun.of("content", "nope").status()).isEqualTo(2);
  }

  @Test
  void malformedLinesAreUsageErrorsThatNameTheProblemAndTouchNothing() {
    Path store = tmp.resolve("store");
    String s = store.toString();

    assertUsageError(CliRun.of("fetch", "--store", s), "missing REF");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "a/b:1", "c/d:2"), "unexpected argument 'c/d:2'");
    assertUsageError(
        CliRun.of("fetch", "a/b:1", "--store"), "option '--store' needs a value (DIR)");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--store", s, "a/b:1"),
        "option '--store' given more than once");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--plain-http=yes", "a/b:1"),
        "option '--plain-http' takes no value");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--max-concurrent-downloads", "many", "a/b:1"),
        "option '--max-concurrent-downloads' needs a whole number, got 'many'");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--label", "novalue", "a/b:1"),
        "--label needs KEY=VALUE, got 'novalue'");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--all-platforms", "--platform", "linux/amd64", "a/b:1"),
        "--all-platforms and --platform exclude each other");
    assertUsageError(
        CliRun.of("gc", "--store", s, "--ingest-age", "soon"), "--ingest-age needs a number");
    assertUsageError(
        CliRun.of("images", "ls", "--store", s, "--format", "xml"),
        "--format must be table or json");
    assertUsageError(CliRun.of("content", "rm", "--store", s), "missing DIGEST");
    assertUsageError(
        CliRun.of("images", "ls", "--store", s, "extra"), "unexpected argument 'extra'");
    assertUsageError(
        CliRun.of("demo", "--store", s, "--layer-size", "0"), "--layer-size must be at least 1");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--max-concurrent-downloads", "0", "a/b:1"),
        "--max-concurrent-downloads must be at least 1, got 0");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--progress", "fancy", "a/b:1"),
        "--progress must be auto, tty, plain or none, got 'fancy'");
    assertUsageError(
        CliRun.of("demo", "--store", s, "--progress", "fancy"),
        "--progress must be auto, tty, plain or none");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--format", "xml", "a/b:1"),
        "--format must be text or json, got 'xml'");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "-q", "--format", "json", "a/b:1"),
        "-q/--quiet and --format json exclude each other");
    assertUsageError(
        CliRun.of(
            "fetch", "--store", s, "--hosts-dir", tmp.resolve("no-such-dir").toString(), "a/b:1"),
        "--hosts-dir " + tmp.resolve("no-such-dir") + " is not a directory");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--no-such-option", "a/b:1"),
        "unknown option '--no-such-option'");
    assertUsageError(
        CliRun.of("content", "ls", "--store", s, "--bogus"), "unknown option '--bogus'");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--format"), "option '--format' needs a value (FORMAT)");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--platform", "linux/", "a/b:1"), "--platform: ");
    assertUsageError(
        CliRun.of("fetch", "--store", s, "--user", ":secret", "a/b:1"),
        "--user needs a user name before the colon");
    assertUsageError(CliRun.of("completion"), "missing SHELL");
    assertUsageError(CliRun.of("completion", "fish"), "completion is for bash or zsh, got 'fish'");

    assertThat(store).doesNotExist();
  }

  @Test
  void badDurationsAreErrorsNamingTheOption() {
    Path store = tmp.resolve("store");

    CliRun retry = CliRun.of("fetch", "--store", store.toString(), "--retry-for", "soon", "a/b:1");
    CliRun idle = CliRun.of("fetch", "--store", store.toString(), "--idle-timeout", "0s", "a/b:1");

    assertUsageError(retry, "--retry-for needs a duration such as 30s, 2m or 1m30s, got \"soon\"");
    assertUsageError(idle, "--idle-timeout must be more than 0s");
    assertThat(Files.exists(store)).isFalse();
  }

  @Test
  void aBadProgressModeIsAUsageErrorBeforeTheStoreIsCreated() {
    Path store = tmp.resolve("store");

    CliRun run = CliRun.of("fetch", "--store", store.toString(), "--progress", "loud", "a/b:1");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "hoist: --progress must be auto, tty, plain or none, got 'loud'\nRun 'hoist fetch --help' for usage.\n");
    assertThat(Files.exists(store)).isFalse();
  }

  @Test
  void fetchHelpListsTheScriptingOptions() {
    assertThat(CliRun.of("fetch", "--help").out()).contains("--format FORMAT", "--quiet", "-q ");
  }

  private static void assertUsageError(CliRun run, String message) {
    assertThat(run.status()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("hoist: " + message).contains("Run 'hoist ");
    assertThat(run.out()).isEmpty();
  }
}
