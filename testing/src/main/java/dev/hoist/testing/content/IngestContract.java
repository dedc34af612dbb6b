package dev.hoist.testing.content;

import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static dev.hoist.testing.content.ContentStoreFixtures.refs;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentStore;
import dev.hoist.content.ContentWriter;
import dev.hoist.content.IngestStatus;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest behaviour every {@link ContentStore} must have, after containerd's content {@code
 * testsuite}: resuming a closed ingest, truncating, status, abort, ref locking and concurrent
 * writers. Part of {@link ContentStoreContract}; implement that rather than this.
 */
public interface IngestContract {

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
   * A writer closed without committing keeps its bytes; the next writer of the ref resumes at that
   * offset.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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

  /**
   * {@code truncate(0)} restarts the ingest, and the rewritten content commits.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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

  /**
   * Truncating a resumed ingest discards the bytes kept from before.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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

  /**
   * An ingest's status reports its ref, offset, total and expected digest.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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
      assertThat(empty.expected()).isEqualTo(desc.digest());
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

  /**
   * {@code abort} discards an ingest, and aborting an unknown ref is not found.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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

  /**
   * A second writer on a ref that has an open writer throws {@code UnavailableException}.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
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

  /**
   * A writer for an empty ref is refused as invalid.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws IOException when the store fails
   */
  @Test
  default void writerWithEmptyRefIsInvalid(@TempDir Path root) throws IOException {
    ContentStore store = newStore(root);

    assertThatThrownBy(() -> store.writer("", layer(new byte[] {1})))
        .isInstanceOf(dev.hoist.errors.InvalidArgumentException.class);
  }

  /**
   * Writers on different refs, started together on several threads, all commit.
   *
   * @param root an empty directory of this case, for {@link #newStore}
   * @throws Exception when the store fails
   */
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
}
