package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * Creates device nodes and fifos, which the JDK cannot: by running {@code mknod} / {@code mkfifo}
 * (coreutils) directly, without a shell. Both are rare in image layers (a base image's {@code /dev}
 * is empty; a runtime mounts its own), so a process per node costs little and spares a
 * native-access dependency. Both refuse to replace an existing path and never follow a symlink at
 * the final component; the caller has removed whatever was there.
 */
public final class SpecialFiles {

  private static final List<Path> BIN = List.of(Path.of("/usr/bin"), Path.of("/bin"));

  private SpecialFiles() {}

  /** Creates a character ({@code 'c'}) or block ({@code 'b'}) device; false if that failed. */
  public static boolean mknod(Path p, char type, int major, int minor, int mode)
      throws IOException {
    return run(
        "mknod",
        "-m",
        Integer.toOctalString(mode & 07777),
        p.toString(),
        String.valueOf(type),
        Integer.toString(major),
        Integer.toString(minor));
  }

  /** Creates a fifo; false if that failed. */
  public static boolean mkfifo(Path p, int mode) throws IOException {
    return run("mkfifo", "-m", Integer.toOctalString(mode & 07777), p.toString());
  }

  /** Creates a symlink at {@code p} holding exactly {@code target}; false if that failed. */
  static boolean symlink(String target, Path p) throws IOException {
    return run("ln", "-s", "-T", "--", target, p.toString());
  }

  /**
   * Sets the access and modification times of {@code p} itself without opening it ({@code touch -h}
   * uses {@code utimensat} with {@code AT_SYMLINK_NOFOLLOW}); the JDK opens the file, which blocks
   * on a fifo and may act on a device. Returns false if that failed.
   */
  public static boolean touch(Path p, FileTime mtime) throws IOException {
    Instant t = mtime.toInstant();
    return run(
        "touch",
        "-c",
        "-h",
        "-d",
        "@" + t.getEpochSecond() + "." + String.format("%09d", t.getNano()),
        p.toString());
  }

  private static boolean run(String tool, String... args) throws IOException {
    Path exe = null;
    for (Path dir : BIN) {
      Path candidate = dir.resolve(tool);
      if (Files.isExecutable(candidate)) {
        exe = candidate;
        break;
      }
    }
    if (exe == null) {
      return false;
    }
    String[] cmd = new String[args.length + 1];
    cmd[0] = exe.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process proc =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    try {
      return proc.waitFor() == 0;
    } catch (InterruptedException e) {
      proc.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(tool + " interrupted");
    }
  }
}
