package dev.hoist.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.DigestMismatchException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ContentStore} must have, after containerd's content {@code
 * testsuite}: writing and committing, resuming a closed ingest, truncating, labels, the state
 * after a failed commit, ref locking and concurrent writers.
 *
 * <p>To run it against a store, implement this interface in a test class and supply {@link
 * #newStore}:
 *
 * <pre>{@code
 * class LocalContentStoreTest implements ContentStoreContract {
 *   public ContentStore newStore(Path root) throws IOException {
 *     return LocalContentStore.open(root);
 *   }
 * }
 * }</pre>
 *
 * Consumed from core's test-jar ({@code <type>test-jar</type>}). The cases use only the public
 * {@link ContentStore} API, so nothing here depends on how a store keeps its data.
 */
public interface ContentStoreContract {

  /**
   * Returns a new, empty store. Each test calls this once with its own empty directory, which a
   * store that keeps files must use as its root and an in-memory store may ignore.
   */
  ContentStore newStore(Path root) throws IOException;

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

  @Test
  default void readsSmallBlob(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = {42};
    Descriptor desc = layer(data);

    commit(store, "small", data);

    assertThat(readAll(store, desc)).containsExactly(42);
    assertThat(store.info(desc.digest()).size()).isEqualTo(1);
  }

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

  @Test
  default void resumesFromBytesKeptWhenWriterClosedWithoutCommit(@TempDir Path root)
      throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(200_000, 3);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("resume", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 123_456));
    }
    assertThat(store.status("resume").offset()).isEqualTo(123_456);
    assertThat(store.exists(desc.digest())).isFalse();

    try (ContentWriter w = store.writer("resume", desc)) {
      assertThat(w.status().offset()).isEqualTo(123_456);
      w.write(ByteBuffer.wrap(data, 123_456, data.length - 123_456));
      assertThat(w.digest()).isEqualTo(desc.digest());
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  default void truncateToZeroRestartsIngest(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(5_000, 4);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("truncate", desc)) {
      writeAll(w, "garbage that must not survive".getBytes(UTF_8));
      w.truncate(0);
      assertThat(w.status().offset()).isZero();
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  default void truncateOfResumedIngestDiscardsKeptBytes(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(5_000, 5);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("truncate-resumed", desc)) {
      writeAll(w, "bad prefix".getBytes(UTF_8));
    }

    try (ContentWriter w = store.writer("truncate-resumed", desc)) {
      assertThat(w.status().offset()).isEqualTo(10);
      w.truncate(0);
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  default void statusReportsOffsetTotalAndExpectedDigest(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(4_096, 6);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("status", desc)) {
      IngestStatus empty = w.status();
      assertThat(empty.ref()).isEqualTo("status");
      assertThat(empty.offset()).isZero();
      assertThat(empty.total()).isEqualTo(data.length);
      w.write(ByteBuffer.wrap(data, 0, 1_000));
      assertThat(w.status().offset()).isEqualTo(1_000);
      assertThat(store.status("status").offset()).isEqualTo(1_000);
    }
    IngestStatus kept = store.status("status");
    assertThat(kept.offset()).isEqualTo(1_000);
    assertThat(kept.total()).isEqualTo(data.length);
    assertThat(kept.startedAt()).isNotNull();
    assertThat(kept.updatedAt()).isNotNull();
    assertThat(refs(store)).containsExactly("status");
    assertThatThrownBy(() -> store.status("no-such-ref")).isInstanceOf(NotFoundException.class);
  }

  @Test
  default void abortDiscardsIngest(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = randomBytes(1_000, 7);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("abort", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 500));
    }

    store.abort("abort");

    assertThat(store.ingests()).isEmpty();
    assertThatThrownBy(() -> store.status("abort")).isInstanceOf(NotFoundException.class);
    try (ContentWriter w = store.writer("abort", desc)) {
      assertThat(w.status().offset()).isZero();
    }
    assertThatThrownBy(() -> store.abort("never-started"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("never-started");
  }

  @Test
  default void secondWriterOnBusyRefThrowsUnavailable(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    Descriptor desc = layer("busy".getBytes(UTF_8));

    try (ContentWriter first = store.writer("busy", desc)) {
      assertThatThrownBy(() -> store.writer("busy", desc))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("busy");
      assertThat(first.isOpen()).isTrue();
    }
    // Closing releases the ref.
    try (ContentWriter again = store.writer("busy", desc)) {
      assertThat(again.status().ref()).isEqualTo("busy");
    }
  }

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

  @Test
  default void writerStaysUsableAfterFailedCommit(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "recoverable".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("recover", desc)) {
      writeAll(w, "wrong".getBytes(UTF_8));
      assertThatThrownBy(() -> w.commit(5, desc.digest(), Map.of()))
          .isInstanceOf(DigestMismatchException.class);
      w.truncate(0);
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  default void failedCommitThenCloseReleasesRef(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "released".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("release", desc)) {
      writeAll(w, data);
      assertThatThrownBy(() -> w.commit(data.length - 1, desc.digest(), Map.of()))
          .isInstanceOf(FailedPreconditionException.class);
    }
    try (ContentWriter w = store.writer("release", desc)) {
      if (w.status().offset() != data.length) {
        w.truncate(0);
        writeAll(w, data);
      }
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

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

  @Test
  default void commitStoresLabels(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "labelled".getBytes(UTF_8);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("labels", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("name", "value", "other", "x"));
    }

    assertThat(store.info(desc.digest()).labels()).containsOnly(
        Map.entry("name", "value"), Map.entry("other", "x"));
  }

  @Test
  default void updateMergesLabelsAndEmptyValueRemoves(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    byte[] data = "relabelled".getBytes(UTF_8);
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer("relabel", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("keep", "1", "drop", "2", "change", "3"));
    }

    ContentInfo updated = store.update(desc.digest(), Map.of("drop", "", "change", "4", "new", "5"));

    Map<String, String> want = Map.of("keep", "1", "change", "4", "new", "5");
    assertThat(updated.labels()).isEqualTo(want);
    assertThat(store.info(desc.digest()).labels()).isEqualTo(want);
    assertThat(updated.updatedAt()).isNotNull();
    assertThatThrownBy(() -> store.update(Digest.sha256("absent"), Map.of("a", "b")))
        .isInstanceOf(NotFoundException.class);
  }

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

  @Test
  default void deleteRemovesBlob(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);
    Descriptor desc = commit(store, "delete", "to delete".getBytes(UTF_8));

    store.delete(desc.digest());

    assertThat(store.exists(desc.digest())).isFalse();
    assertThatThrownBy(() -> store.info(desc.digest())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> store.delete(desc.digest()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(desc.digest().toString());
    // Deleted content can be written again.
    commit(store, "delete-again", "to delete".getBytes(UTF_8));
    assertThat(store.exists(desc.digest())).isTrue();
  }

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

  @Test
  @Timeout(30)
  default void concurrentWritersOnDifferentRefsAllCommit(@TempDir Path root) throws Exception {
    ContentStore store = newStore(root);
    int writers = 6;
    CyclicBarrier allOpen = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Descriptor>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  byte[] data = randomBytes(100_000 + n, 100 + n);
                  Descriptor desc = layer(data);
                  try (ContentWriter w = store.writer("concurrent-" + n, desc)) {
                    w.write(ByteBuffer.wrap(data, 0, 50_000));
                    // Every writer is open and half written before any commits.
                    allOpen.await(20, TimeUnit.SECONDS);
                    w.write(ByteBuffer.wrap(data, 50_000, data.length - 50_000));
                    w.commit(data.length, desc.digest(), Map.of());
                  }
                  return desc;
                }));
      }
      for (int i = 0; i < writers; i++) {
        Descriptor desc = results.get(i).get(25, TimeUnit.SECONDS);
        assertThat(readAll(store, desc)).isEqualTo(randomBytes(100_000 + i, 100 + i));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.ingests()).isEmpty();
  }

  // ---- helpers, public so that stores' own tests may reuse them ----

  /** A layer descriptor for {@code data}. */
  static Descriptor layer(byte[] data) {
    return Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(data), data.length);
  }

  /** Deterministic pseudo-random bytes. */
  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Writes {@code data} fully, however the writer splits it. */
  static void writeAll(ContentWriter w, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    while (buf.hasRemaining()) {
      w.write(buf);
    }
  }

  /** Writes and commits {@code data} under {@code ref}, returning its descriptor. */
  static Descriptor commit(ContentStore store, String ref, byte[] data) throws IOException {
    return commitLabelled(store, ref, data, Map.of());
  }

  private static Descriptor commitLabelled(
      ContentStore store, String ref, String text, Map<String, String> labels) throws IOException {
    return commitLabelled(store, ref, text.getBytes(UTF_8), labels);
  }

  private static Descriptor commitLabelled(
      ContentStore store, String ref, byte[] data, Map<String, String> labels) throws IOException {
    Descriptor desc = layer(data);
    try (ContentWriter w = store.writer(ref, desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), labels);
    }
    return desc;
  }

  /** Reads committed content back through {@link ContentProvider#open}. */
  static byte[] readAll(ContentProvider store, Descriptor desc) throws IOException {
    try (SeekableByteChannel ch = store.open(desc)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(ch.size()));
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // keep reading
      }
      return buf.array();
    }
  }

  /** The refs of the store's ingests. */
  static List<String> refs(ContentStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (IngestStatus s : store.ingests()) {
      out.add(s.ref());
    }
    return out;
  }
}
