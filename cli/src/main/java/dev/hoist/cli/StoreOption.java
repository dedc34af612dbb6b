package dev.hoist.cli;

import java.nio.file.Path;

/** {@code --store DIR}: the content store, default {@code $HOIST_STORE}, else {@code ~/.local/share/hoist}. */
final class StoreOption {

  static final Args.Option STORE =
      Args.Option.value("--store", "DIR", "Content store directory (default: $HOIST_STORE, else ~/.local/share/hoist).");

  private StoreOption() {}

  static Path resolve(Args args) {
    String given = args.value(STORE.name(), null);
    if (given != null) {
      return Path.of(given);
    }
    String env = System.getenv("HOIST_STORE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "hoist");
  }
}
