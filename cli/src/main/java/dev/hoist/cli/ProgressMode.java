package dev.hoist.cli;

/** Chooses how fetch progress is shown. */
final class ProgressMode {

  private ProgressMode() {}

  /**
   * {@code auto} becomes {@code tty} on a terminal, else {@code plain}; anything unknown is a usage
   * error.
   */
  static String choose(String requested) throws Args.UsageException {
    switch (requested) {
      case "auto":
        return Terminal.interactive()
                && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"))
            ? "tty"
            : "plain";
      case "tty":
      case "plain":
      case "none":
        return requested;
      default:
        throw new Args.UsageException(
            "--progress must be auto, tty, plain or none, got '" + requested + "'");
    }
  }
}
