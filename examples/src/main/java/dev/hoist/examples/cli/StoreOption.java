package dev.hoist.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store DIR}: the content store, default {@code $HOIST_STORE}, else {@code ~/.local/share/hoist}. */
final class StoreOption {

  @Option(
      names = "--store",
      paramLabel = "DIR",
      description = "Content store directory (default: $HOIST_STORE, else ~/.local/share/hoist).")
  Path store;

  @Option(names = "--debug", description = "Print stack traces on failure.")
  boolean debug;

  Path resolve() {
    if (store != null) {
      return store;
    }
    String env = System.getenv("HOIST_STORE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "hoist");
  }
}
