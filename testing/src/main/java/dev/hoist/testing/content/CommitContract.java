package dev.hoist.testing.content;

import static dev.hoist.testing.content.ContentStoreFixtures.commit;
import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static dev.hoist.testing.content.ContentStoreFixtures.refs;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commit behaviour every {@link ContentStore} must have, after containerd's content {@code
 * testsuite}: verification of size and digest, the state after a failed commit ({@code
 * CommitErrorState}), content that exists already, and labels. Part of {@link
 * ContentStoreContract}; implement that rather than this.
 */
public interface CommitContract {

  /**
   * Returns a new, empty store. Each case calls this once with its own empty directory, which a
   * store that keeps files must use as its root and an in-memory store may ignore.
   *
   * @param root an empty directory of this case
   * @return the store under test
   * @throws IOException when the store cannot be opened
   */
  ContentStore newStore(Path root) throws IOException;

  /**
   * A commit with size 0 and no digest (both unknown) takes what was written.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitAcceptsUnknownSizeAndDigest(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "no size, no digest given at commit".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("unknown-size", desc)) {
      writeAll(w, data);
      w.commit(0, null, null);
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  /**
   * Opening a writer for a digest already committed throws {@code AlreadyExistsException}.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void writerForCommittedDigestThrowsAlreadyExists(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "already there".getBytes(UTF_8);
    Descriptor desc = commit(store, "first", data);

    assertThatThrownBy(() -> store.writer("second", desc))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(desc.digest().toString());
    assertThat(store.ingests()).isEmpty();
  }

  /**
   * Committing content that another ref committed meanwhile throws {@code AlreadyExistsException}.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitOfContentCommittedMeanwhileThrowsAlreadyExists(@TempDir Path root)
      throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "raced".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter slow = store.writer("slow", desc)) {
      writeAll(slow, data);
      commit(store, "fast", data);

      assertThatThrownBy(() -> slow.commit(data.length, desc.digest(), Map.of()))
          .isInstanceOf(AlreadyExistsException.class);
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(refs(store)).doesNotContain("slow");
  }

  /**
   * A commit whose size is not what was written fails, and no blob appears.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitWithWrongSizeFailsAndPublishesNothing(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "sized content".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("wrong-size", desc)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length + 1, desc.digest(), Map.of()))
          .isInstanceOf(FailedPreconditionException.class)
          .isNotInstanceOf(DigestMismatchException.class)
          .hasMessageContaining(Integer.toString(data.length))
          .hasMessageContaining(Integer.toString(data.length + 1));
    }
    assertThat(store.exists(desc.digest())).isFalse();
    assertThatThrownBy(() -> store.open(desc)).isInstanceOf(NotFoundException.class);
  }

  /**
   * A commit whose digest is not what was written fails, and no blob appears.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitWithWrongDigestFailsAndPublishesNothing(@TempDir Path root)
      throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "real bytes".getBytes(UTF_8);
    Digest claimed = Digest.sha256("claimed bytes");
    Descriptor lying = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, claimed, data.length);

    try (ContentWriter w = store.writer("wrong-digest", lying)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length, claimed, Map.of()))
          .isInstanceOfSatisfying(
              DigestMismatchException.class,
              e -> {
                assertThat(e.expected()).isEqualTo(claimed);
                assertThat(e.actual()).isEqualTo(Digest.sha256(data));
              })
          .hasMessageContaining(claimed.toString());
    }
    assertThat(store.exists(claimed)).isFalse();
    assertThat(store.exists(Digest.sha256(data))).isFalse();
    List<Digest> all = new ArrayList<>();
    store.walk(i -> true, i -> all.add(i.digest()));
    assertThat(all).isEmpty();
  }

  /**
   * After a failed commit the ingest is kept, so the next writer of the ref resumes it.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void failedCommitKeepsIngestForNextWriter(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "kept after failed commits".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("kept", desc)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length, Digest.sha256("other"), Map.of()))
          .isInstanceOf(FailedPreconditionException.class);
    }
    try (ContentWriter w = store.writer("kept", desc)) {
      assertThat(w.status().offset()).isEqualTo(data.length);
      assertThatThrownBy(() -> store.writer("kept", desc)).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> w.commit(data.length - 1, null, Map.of()))
          .isInstanceOf(FailedPreconditionException.class);
    }
    // As containerd's checkCommitErrorState: the bytes survive failed commits and commit later.
    try (ContentWriter w = store.writer("kept", desc)) {
      assertThat(w.status().offset()).isEqualTo(data.length);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.ingests()).isEmpty();
  }

  /**
   * A commit without an expected digest of content already in the store throws {@code
   * AlreadyExistsException}.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitWithoutDigestOfExistingContentThrowsAlreadyExists(@TempDir Path root)
      throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "committed under another ref".getBytes(UTF_8);
    commit(store, "original", data);
    // The writer does not know the content's digest up front (it expects other bytes).
    Descriptor other = layer("something else".getBytes(UTF_8));

    try (ContentWriter w = store.writer("copy", other)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length, null, Map.of()))
          .isInstanceOf(AlreadyExistsException.class);
    }
    assertThat(refs(store)).doesNotContain("copy");
  }

  /**
   * A writer closed without committing cannot commit.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitAfterCloseFails(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "closed".getBytes(UTF_8);
    Descriptor desc = layer(data);

    ContentWriter w = store.writer("closed", desc);
    writeAll(w, data);
    w.close();

    assertThatThrownBy(() -> w.commit(data.length, desc.digest(), Map.of()))
        .isInstanceOf(FailedPreconditionException.class);
    assertThat(store.exists(desc.digest())).isFalse();
  }

  /**
   * The labels given to commit are stored with the blob.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void commitStoresLabels(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "labelled".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("labels", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("name", "value", "other", "x"));
    }

    assertThat(store.info(desc.digest()).labels())
        .containsOnly(Map.entry("name", "value"), Map.entry("other", "x"));
  }
}
