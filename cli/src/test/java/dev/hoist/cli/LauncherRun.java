package dev.hoist.cli;

/** The outcome of one run of the launcher script: exit status and everything it printed. */
record LauncherRun(int status, String out, String err) {

  @Override
  public String toString() {
    return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
