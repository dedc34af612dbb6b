package dev.hoist.cli;

import dev.hoist.errors.InvalidArgumentException;

/** Chooses how fetch progress is shown. */
final class ProgressMode {

  private ProgressMode() {}

  /** {@code auto} becomes {@code tty} on a terminal, else {@code plain}. */
  static String choose(String requested) {
    switch (requested) {
      case "auto":
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"))
            ? "tty"
            : "plain";
      case "tty":
      case "plain":
      case "none":
        return requested;
      default:
        throw new InvalidArgumentException("--progress must be auto, tty, plain or none, got \"" + requested + "\"");
    }
  }
}
