package dev.hoist.examples.cli;

import picocli.CommandLine;

/** Prints the version recorded in the jar's manifest (or "dev" when run from classes). */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = HoistCli.class.getPackage().getImplementationVersion();
    return new String[] {"hoist " + (v == null ? "dev" : v)};
  }
}
