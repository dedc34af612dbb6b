package dev.hoist.content.local;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Starts {@link IngestChild} in a new JVM on the test classpath and reads its reports. */
final class ChildProcesses {

  private ChildProcesses() {}

  static byte[] content(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  /** A running child and its stdout. */
  static final class Child implements AutoCloseable {
    final Process process;
    final BufferedReader out;

    Child(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    }

    /** The next line the child prints; fails when it exits first. */
    String nextLine() throws IOException {
      String line = out.readLine();
      if (line == null) {
        throw new IOException(
            "child exited with no report (exit code "
                + (process.isAlive() ? "n/a" : process.exitValue())
                + ")");
      }
      return line;
    }

    /** Closes the child's stdin, its signal to finish. */
    void endInput() throws IOException {
      process.getOutputStream().close();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  static Child start(String mode, Path root, String ref, String... more) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(IngestChild.class.getName());
    cmd.add(mode);
    cmd.add(root.toString());
    cmd.add(ref);
    cmd.addAll(List.of(more));
    return new Child(
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }
}
