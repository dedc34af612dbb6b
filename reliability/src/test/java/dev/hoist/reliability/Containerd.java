package dev.hoist.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private containerd for comparison tests: its own root, state and socket under a temporary
 * directory, the CRI plugin off; stopped through its own process handle. Never touches a system
 * containerd.
 */
final class Containerd implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/containerd");
  static final Path CTR = Path.of("/usr/bin/ctr");

  private final Path dir;
  private final Path socket;
  private final Process process;

  private Containerd(Path dir, Path socket, Process process) {
    this.dir = dir;
    this.socket = socket;
    this.process = process;
  }

  /** Why containerd cannot run here, or null when it can be tried. */
  static String unavailableReason() {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(CTR)) {
      return "containerd is not installed (apt-get install containerd)";
    }
    return null;
  }

  /** Starts containerd in {@code dir}; throws with its log when it does not come up. */
  static Containerd start(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path socket = dir.resolve("c.sock");
    Path config = dir.resolve("config.toml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "version = 2",
            "root = \"" + dir.resolve("root") + "\"",
            "state = \"" + dir.resolve("state") + "\"",
            "disabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.internal.v1.tracing\"]",
            "[grpc]",
            "  address = \"" + socket + "\"",
            "[ttrpc]",
            "  address = \"" + socket + ".ttrpc\"",
            "[debug]",
            "  address = \"\"",
            "[metrics]",
            "  address = \"\"",
            ""));
    Process p =
        new ProcessBuilder(BINARY.toString(), "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("containerd.log").toFile())
            .start();
    Containerd c = new Containerd(dir, socket, p);
    try {
      Processes.await(
          "containerd to serve " + socket,
          Duration.ofSeconds(30),
          () -> !p.isAlive() || c.answers());
      if (!p.isAlive()) {
        throw new IOException(
            "containerd exited: " + Processes.output(dir.resolve("containerd.log")));
      }
    } catch (AssertionError | IOException e) {
      c.close();
      throw e instanceof IOException io
          ? io
          : new IOException(
              e.getMessage() + "\n" + Processes.output(dir.resolve("containerd.log")));
    }
    return c;
  }

  private boolean answers() {
    if (!Files.exists(socket)) {
      return false;
    }
    try {
      return ctr(Duration.ofSeconds(10), "version").exit == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  record Result(int exit, String output) {}

  /** Runs {@code ctr -a <socket> args...}. */
  Result ctr(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CTR.toString(), "-a", socket.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "ctr", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IOException("ctr " + args[0] + " did not finish within " + timeout);
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
