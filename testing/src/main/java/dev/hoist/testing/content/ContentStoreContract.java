package dev.hoist.testing.content;

import static dev.hoist.testing.content.ContentStoreFixtures.commit;
import static dev.hoist.testing.content.ContentStoreFixtures.commitLabelled;
import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.digest.Digest;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ContentStore} must have, after containerd's content {@code testsuite}:
 * writing and committing, resuming a closed ingest, truncating, labels, the state after a failed
 * commit, ref locking and concurrent writers.
 *
 * <p>The cases are grouped in {@link IngestContract} and {@link CommitContract}, which this
 * interface extends; the rest (reading, labels, walk, delete) are here. To run them all against a
 * store, implement this interface in a test class and supply {@link #newStore}:
 *
 * <pre>{@code
 * class LocalContentStoreTest implements ContentStoreContract {
 *   public ContentStore newStore(Path root) throws IOException {
 *     return LocalContentStore.open(root);
 *   }
 * }
 * }</pre>
 *
 * Published as {@code dev.hoist:hoist-testing}, which brings JUnit Jupiter's API and AssertJ with
 * it; depend on it in test scope. The cases use only the public {@link ContentStore} API, so
 * nothing here depends on how a store keeps its data. JUnit runs each case with a fresh
 * {@code @TempDir}; a case that fails names the behaviour it checks.
 */
public interface ContentStoreContract extends IngestContract, CommitContract {

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
   * A blob of several MiB written and committed reads back byte for byte, with its info, and leaves
   * no ingest.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void writesCommitsAndReadsBackContent(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(3 * 1024 * 1024 + 17, 1);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("write-commit", desc)) {
      writeAll(w, data);
      assertThat(w.digest()).isEqualTo(desc.digest());
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    ContentInfo info = store.info(desc.digest());
    assertThat(info.digest()).isEqualTo(desc.digest());
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.createdAt()).isNotNull();
    assertThat(store.exists(desc.digest())).isTrue();
    assertThat(store.ingests()).isEmpty();
  }

  /**
   * A one-byte blob reads back.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void readsSmallBlob(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = {42};
    Descriptor desc = layer(data);

    commit(store, "small", data);

    assertThat(readAll(store, desc)).containsExactly(42);
    assertThat(store.info(desc.digest()).size()).isEqualTo(1);
  }

  /**
   * The channel {@code open} returns reports the size, seeks, and reads to the end.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void openedContentIsSeekable(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(10_000, 2);
    Descriptor desc = commit(store, "seekable", data);

    try (SeekableByteChannel ch = store.open(desc)) {
      assertThat(ch.size()).isEqualTo(data.length);
      ch.position(9_990);
      ByteBuffer buf = ByteBuffer.allocate(100);
      int n = ch.read(buf);
      assertThat(n).isEqualTo(10);
      assertThat(java.util.Arrays.copyOf(buf.array(), n))
          .isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
      assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  /**
   * {@code update} merges labels, an empty value removes one, and an unknown digest is not found.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void updateMergesLabelsAndEmptyValueRemoves(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "relabelled".getBytes(UTF_8);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("relabel", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("keep", "1", "drop", "2", "change", "3"));
    }

    ContentInfo updated =
        store.update(desc.digest(), Map.of("drop", "", "change", "4", "new", "5"));

    Map<String, String> want = Map.of("keep", "1", "change", "4", "new", "5");
    assertThat(updated.labels()).isEqualTo(want);
    assertThat(store.info(desc.digest()).labels()).isEqualTo(want);
    assertThat(updated.updatedAt()).isNotNull();
    assertThatThrownBy(() -> store.update(Digest.sha256("absent"), Map.of("a", "b")))
        .isInstanceOf(NotFoundException.class);
  }

  /**
   * {@code walk} visits every blob, or only those its filter accepts.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void walkVisitsOnlyWhatFilterAccepts(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    Descriptor a = commitLabelled(store, "a", "blob a", Map.of("team", "x"));
    Descriptor b = commitLabelled(store, "b", "blob b", Map.of("team", "y"));
    Descriptor c = commitLabelled(store, "c", "blob c", Map.of());

    List<Digest> all = new ArrayList<>();
    store.walk(i -> true, i -> all.add(i.digest()));
    List<Digest> teamX = new ArrayList<>();
    store.walk(i -> "x".equals(i.labels().get("team")), i -> teamX.add(i.digest()));

    assertThat(all).containsExactlyInAnyOrder(a.digest(), b.digest(), c.digest());
    assertThat(teamX).containsExactly(a.digest());
  }

  /**
   * {@code deleteBlob} removes a blob, a second delete is not found, and the content can be written
   * again.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void deleteRemovesBlob(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    Descriptor desc = commit(store, "delete", "to delete".getBytes(UTF_8));

    store.deleteBlob(desc.digest());

    assertThat(store.exists(desc.digest())).isFalse();
    assertThatThrownBy(() -> store.info(desc.digest())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> store.deleteBlob(desc.digest()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(desc.digest().toString());
    // Deleted content can be written again.
    commit(store, "delete-again", "to delete".getBytes(UTF_8));
    assertThat(store.exists(desc.digest())).isTrue();
  }

  /**
   * Opening, or asking for the info of, content never written throws {@code NotFoundException}
   * naming the digest.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void missingContentIsNotFound(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    Descriptor missing = layer("never written".getBytes(UTF_8));

    assertThatThrownBy(() -> store.open(missing))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(missing.digest().toString());
    assertThatThrownBy(() -> store.info(missing.digest())).isInstanceOf(NotFoundException.class);
    assertThat(store.exists(missing.digest())).isFalse();
  }
}
