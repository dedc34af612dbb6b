package dev.hoist.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --store DIR}: the content store; default {@code $HOIST_STORE}, else {@code
 * $XDG_DATA_HOME/hoist}, else {@code $HOME/.local/share/hoist} (the XDG base directory rules).
 */
final class StoreOption {

  static final Args.Option STORE =
      Args.Option.value(
          "--store",
          "DIR",
          "Content store directory (default: $HOIST_STORE, else $XDG_DATA_HOME/hoist, else ~/.local/share/hoist).");

  private StoreOption() {}

  static Path resolve(Args args) {
    return resolve(args, System.getenv(), System.getProperty("user.home"));
  }

  /** The store for {@code args} in environment {@code env}; {@code userHome} when HOME is unset. */
  static Path resolve(Args args, Map<String, String> env, String userHome) {
    String given = args.value(STORE.name(), null);
    if (given != null) {
      return Path.of(given);
    }
    String store = env.get("HOIST_STORE");
    if (store != null && !store.isBlank()) {
      return Path.of(store);
    }
    // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
    String data = env.get("XDG_DATA_HOME");
    if (data != null && data.startsWith("/")) {
      return Path.of(data, "hoist");
    }
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      home = userHome;
    }
    return Path.of(home, ".local", "share", "hoist");
  }
}
