package dev.hoist.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Mounting in tests: whether an overlay mount works here, and commands that must succeed. */
public final class Mounts {

  private Mounts() {}

  /**
   * Why this machine cannot mount a trivial overlay with the flags the overlay snapshotter reports
   * (a container without CAP_SYS_ADMIN, a kernel before 5.11), or null when it can.
   *
   * @param probe a directory to make the probe's directories in
   * @return the reason, or null
   */
  public static String overlayUnavailable(Path probe) throws IOException, InterruptedException {
    Path a = Files.createDirectories(probe.resolve("a"));
    Path b = Files.createDirectories(probe.resolve("b"));
    Path m = Files.createDirectories(probe.resolve("m"));
    Process p =
        new ProcessBuilder(
                "mount",
                "-t",
                "overlay",
                "-o",
                "index=off,userxattr,ro,lowerdir=" + a + ":" + b,
                "overlay",
                m.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return "this machine cannot mount an overlay with userxattr: " + out.strip();
    }
    run("umount", m.toString());
    return null;
  }

  /**
   * Runs {@code cmd}, asserting that it ends within a minute with status 0.
   *
   * @param cmd the command and its arguments
   */
  public static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
