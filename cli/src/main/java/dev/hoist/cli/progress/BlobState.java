package dev.hoist.cli.progress;

/** Where one blob of a fetch stands, with the words {@code ctr content fetch} shows. */
public enum BlobState {
  WAITING("waiting"),
  DOWNLOADING("downloading"),
  DONE("done"),
  EXISTS("exists"),
  FAILED("failed");

  private final String label;

  BlobState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean finished() {
    return this == DONE || this == EXISTS || this == FAILED;
  }
}
