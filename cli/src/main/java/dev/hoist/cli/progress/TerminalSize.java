package dev.hoist.cli.progress;

/**
 * A terminal's size in character cells.
 *
 * @param columns characters per line
 * @param rows lines on the screen
 */
public record TerminalSize(int columns, int rows) {

  /** The size assumed when the terminal cannot be asked: 80×24. */
  public static final TerminalSize DEFAULT = new TerminalSize(80, 24);

  /** A size of 0 or less (a pty nobody sized reports 0×0) means the default's. */
  public TerminalSize {
    columns = columns <= 0 ? 80 : columns;
    rows = rows <= 0 ? 24 : rows;
  }
}
