package dev.hoist.cli.progress;

/** Where one layer of a pull stands after its download: not yet unpacked, unpacking, unpacked. */
public enum UnpackState {
  /** Not unpacked (yet), or not a layer. */
  NONE(""),
  /** Being applied. */
  UNPACKING("unpacking"),
  /** Applied and committed, or its chain was already committed. */
  UNPACKED("unpacked");

  private final String label;

  UnpackState(String label) {
    this.label = label;
  }

  /**
   * The word the table shows, as {@code ctr images pull} does.
   *
   * @return the word; empty for {@link #NONE}
   */
  public String label() {
    return label;
  }
}
