package dev.hoist.cli;

/** What little the CLI needs to know about the terminal. */
final class Terminal {

  private Terminal() {}

  /** The width from {@code $COLUMNS}, else 120. */
  static int width() {
    String c = System.getenv("COLUMNS");
    if (c != null) {
      try {
        return Math.max(60, Integer.parseInt(c.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the default
      }
    }
    return 120;
  }
}
