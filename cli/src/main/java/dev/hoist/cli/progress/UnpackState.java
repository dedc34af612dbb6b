package dev.hoist.cli.progress;

/** Where one layer of a pull stands after its download: not yet unpacked, unpacking, unpacked. */
public enum UnpackState {
  NONE(""),
  UNPACKING("unpacking"),
  UNPACKED("unpacked");

  private final String label;

  UnpackState(String label) {
    this.label = label;
  }

  /** The word the table shows, as {@code ctr images pull} does; empty for {@link #NONE}. */
  public String label() {
    return label;
  }
}
