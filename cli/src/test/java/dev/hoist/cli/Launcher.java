package dev.hoist.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code hoist} launcher script in {@code target/} (made by {@code package}), run as a separate
 * process the way a user runs it: with the JVM running this test as its JAVA_HOME, and a private
 * cache and home directory so that no run sees the user's archives.
 */
final class Launcher {

  private static final long TIMEOUT_MINUTES = 3;

  private final Path script;
  private final Path home;
  private final Path cacheHome;
  private final Map<String, String> env;

  private Launcher(Path script, Path home, Path cacheHome, Map<String, String> env) {
    this.script = script;
    this.home = home;
    this.cacheHome = cacheHome;
    this.env = Map.copyOf(env);
  }

  /** The launcher beside hoist.jar in this module's target directory. */
  static Launcher inTarget(Path home) {
    return at(Path.of("target", "hoist").toAbsolutePath(), home);
  }

  /**
   * A launcher script at {@code script}, with {@code home} as HOME and home/.cache as the cache.
   */
  static Launcher at(Path script, Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    return new Launcher(script, home, home.resolve(".cache"), env);
  }

  Path script() {
    return script;
  }

  /** The working directory of every run: HOME. */
  Path workDir() {
    return home;
  }

  /** The same launcher with one more environment variable. */
  Launcher with(String name, String value) {
    Map<String, String> e = new HashMap<>(env);
    e.put(name, value);
    Path cache = cacheHome;
    if ("XDG_CACHE_HOME".equals(name)) {
      cache = Path.of(value).isAbsolute() ? Path.of(value) : home.resolve(".cache");
    }
    return new Launcher(script, home, cache, e);
  }

  /** Where the launcher keeps its archives. */
  Path archiveDir() {
    return cacheHome.resolve("hoist");
  }

  /** The file names in the archive directory, sorted; empty when it does not exist. */
  List<String> archiveFiles() throws IOException {
    if (!Files.isDirectory(archiveDir())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(archiveDir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Runs the launcher to completion. */
  LauncherRun run(String... args) throws IOException, InterruptedException {
    return start(args).await();
  }

  /** Starts the launcher; {@link Running#await()} collects the outcome. */
  Running start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(Files.createDirectories(home).toFile());
    Map<String, String> e = pb.environment();
    // Nothing from the environment running the build may steer the JVM or the launcher.
    e.keySet()
        .removeIf(
            k -> k.startsWith("HOIST_") || k.startsWith("XDG_") || k.endsWith("JAVA_OPTIONS"));
    e.put("JAVA_HOME", System.getProperty("java.home"));
    e.putAll(env);
    Path out = Files.createTempFile("launcher-", ".out");
    Path err = Files.createTempFile("launcher-", ".err");
    pb.redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().close();
    return new Running(p, out, err, String.join(" ", args));
  }

  /** A started launcher process. */
  record Running(Process process, Path out, Path err, String args) {

    LauncherRun await() throws IOException, InterruptedException {
      try {
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new AssertionError(
              "hoist " + args + " did not finish in " + TIMEOUT_MINUTES + " minutes");
        }
        return new LauncherRun(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }
}
