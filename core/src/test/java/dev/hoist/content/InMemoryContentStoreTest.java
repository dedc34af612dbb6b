package dev.hoist.content;

import java.nio.file.Path;

/** Runs the content-store contract against {@link InMemoryContentStore}. */
class InMemoryContentStoreTest implements ContentStoreContract {

  @Override
  public ContentStore newStore(Path root) {
    return new InMemoryContentStore();
  }
}
