package dev.hoist.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Starting child JVMs on this test's class path, and waiting for conditions another process brings
 * about.
 */
final class Processes {

  private Processes() {}

  /** Starts {@code hoist args...} ({@code java -cp <this class path> dev.hoist.cli.HoistCli}). */
  static Process hoist(Path log, String... args) throws IOException {
    return java(log, dev.hoist.cli.HoistCli.class, args);
  }

  /**
   * Starts {@code hoist fetch --store store --platform linux/amd64 --progress plain [options] ref},
   * the fetch every kill and concurrency test runs, output to {@code log}.
   */
  static Process fetch(Path log, Path store, String ref, String... options) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "fetch",
                "--store",
                store.toString(),
                "--platform",
                "linux/amd64",
                "--progress",
                "plain"));
    args.addAll(List.of(options));
    args.add(ref);
    return hoist(log, args.toArray(String[]::new));
  }

  /** Runs {@code hoist content verify --store storeDir} and returns its exit code. */
  static int verify(Path storeDir, Path log) throws IOException, InterruptedException {
    return exitCode(
        hoist(log, "content", "verify", "--store", storeDir.toString()),
        Duration.ofSeconds(60),
        log);
  }

  /** Starts {@code java -cp <this class path> mainClass args...}, output to {@code log}. */
  static Process java(Path log, Class<?> mainClass, String... args) throws IOException {
    return java(log, List.of("-Xmx128m"), mainClass, args);
  }

  /** Starts {@code java jvmOptions... -cp <this class path> mainClass args...}. */
  static Process java(Path log, List<String> jvmOptions, Class<?> mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits for {@code p} to end and returns its exit code; kills it after {@code timeout}. */
  static int exitCode(Process p, Duration timeout, Path log) throws InterruptedException {
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "child process did not finish within " + timeout + ":\n" + output(log));
    }
    return p.exitValue();
  }

  static String output(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * Polls {@code condition} until it holds. Another process (not a thread we could hand a latch to)
   * brings the condition about, so polling its effects on disk is the only way to observe it.
   */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
