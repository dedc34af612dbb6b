package dev.hoist.testing.content;

import dev.hoist.content.ContentStore;
import dev.hoist.content.InMemoryContentStore;
import java.nio.file.Path;

/**
 * Runs the content-store contract against core's {@link InMemoryContentStore}; what only that store
 * does is tested in core.
 */
class InMemoryContentStoreContractTest implements ContentStoreContract {

  @Override
  public ContentStore newStore(Path root) {
    return new InMemoryContentStore();
  }
}
