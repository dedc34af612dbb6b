package dev.hoist.examples;

import static dev.hoist.testing.content.ContentStoreFixtures.commit;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentStore;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.content.ContentStoreContract;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's store checked by the published contract: implementing {@link ContentStoreContract} runs
 * its 24 cases against {@link AuditingContentStore}; the one case below is the store's own.
 * HoistTestingArtifactIT runs this class again with nothing but hoist-testing's dependencies.
 */
class AuditingContentStoreTest implements ContentStoreContract {

  @Override
  public ContentStore newStore(Path root) throws IOException {
    return new AuditingContentStore(LocalContentStore.open(root));
  }

  @Test
  void recordsCommitsAndDeletesInOrder(@TempDir Path root) throws IOException {
    AuditingContentStore store = new AuditingContentStore(LocalContentStore.open(root));

    Descriptor a = commit(store, "a", "first".getBytes(UTF_8));
    Descriptor b = commit(store, "b", "second".getBytes(UTF_8));
    store.deleteBlob(a.digest());

    assertThat(store.trail())
        .containsExactly("commit " + a.digest(), "commit " + b.digest(), "delete " + a.digest());
  }
}
