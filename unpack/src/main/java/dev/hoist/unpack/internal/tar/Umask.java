package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * This process's umask, measured once by creating a file with mode 0777. Files are created with
 * their final mode (one syscall fewer than create-then-chmod); only modes the umask would clip need
 * a chmod afterwards.
 */
final class Umask {

  private static final int VALUE = measure();

  private Umask() {}

  static int get() {
    return VALUE;
  }

  private static int measure() {
    try {
      Path tmp =
          Files.createTempFile(
              "hoist-umask",
              null,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
      try {
        return 0777 & ~Modes.toInt(Files.getPosixFilePermissions(tmp));
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return 022; // the common default; a wrong guess only costs a chmod or leaves a mode clipped
    }
  }
}
