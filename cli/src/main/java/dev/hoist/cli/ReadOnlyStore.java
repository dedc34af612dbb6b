package dev.hoist.cli;

import dev.hoist.content.local.LocalContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens the store for a command that only reads (or removes from) it, creating nothing: a {@code
 * --store} (or {@code $HOIST_STORE}) that is not a store is a one-line error, and the default store
 * not existing yet (a new machine) is an empty store, not a new directory.
 */
final class ReadOnlyStore {

  private ReadOnlyStore() {}

  /**
   * The store, or empty when the default store does not exist yet.
   *
   * @throws dev.hoist.errors.NotFoundException when a store given explicitly is not a store
   */
  static Optional<LocalContentStore> open(Args args) throws IOException {
    Path root = StoreOption.resolve(args);
    String env = System.getenv("HOIST_STORE");
    boolean explicit = args.has(StoreOption.STORE.name()) || (env != null && !env.isBlank());
    if (!explicit && !Files.exists(root)) {
      return Optional.empty();
    }
    return Optional.of(LocalContentStore.openExisting(root));
  }
}
