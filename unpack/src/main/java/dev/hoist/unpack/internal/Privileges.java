package dev.hoist.unpack.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root, from {@code /proc/self}'s owner (Linux). */
public final class Privileges {

  private static final boolean ROOT = detect();

  private Privileges() {}

  /**
   * True when the process may set owners and make device nodes.
   *
   * @return true for uid 0
   */
  public static boolean isRoot() {
    return ROOT;
  }

  private static boolean detect() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
