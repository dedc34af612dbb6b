package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.layer;
import static dev.hoist.testing.content.ContentStoreFixtures.randomBytes;
import static dev.hoist.testing.content.ContentStoreFixtures.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.internal.FileOps;
import dev.hoist.content.local.internal.Syncer;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which fsyncs a commit costs, and that a returned commit's directory entry was synced. */
@Timeout(60)
class CommitSyncTest {

  @TempDir Path root;

  /** Real syncs, counted; each directory sync records the entries it made durable. */
  private static final class RecordingSyncer implements Syncer {
    final AtomicInteger files = new AtomicInteger();
    final List<Path> directories = new CopyOnWriteArrayList<>();
    final Set<String> durableEntries = ConcurrentHashMap.newKeySet();

    @Override
    public void file(FileChannel file) throws IOException {
      files.incrementAndGet();
      Syncer.SYSTEM.file(file);
    }

    @Override
    public void directory(Path dir) throws IOException {
      directories.add(dir);
      // Entries present when the fsync starts are the ones it makes durable.
      List<String> seen = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        entries.forEach(p -> seen.add(p.getFileName().toString()));
      }
      FileOps.fsyncDirectory(dir);
      durableEntries.addAll(seen);
    }
  }

  @ParameterizedTest(name = "small blob threshold {0}")
  @ValueSource(longs = {0, LocalContentStore.DEFAULT_SMALL_BLOB_THRESHOLD})
  void commitSyncsTheDataAndTheBlobDirectoryButNotTheLabels(long threshold) throws IOException {
    RecordingSyncer syncer = new RecordingSyncer();
    LocalContentStore store =
        LocalContentStore.builder(root).syncer(syncer).smallBlobThreshold(threshold).build();
    byte[] data = randomBytes(70_000, 3);
    Descriptor desc = layer(data);

    try (ContentWriter w = store.writer("one", desc)) {
      writeAll(w, data);
      w.commit(data.length, desc.digest(), Map.of("containerd.io/distribution.source.r", "a/b"));
    }
    store.update(desc.digest(), Map.of("extra", "1"));

    assertThat(syncer.files).hasValue(1);
    assertThat(syncer.directories).containsExactly(root.toAbsolutePath().resolve("blobs/sha256"));
    assertThat(syncer.durableEntries).contains(desc.digest().encoded());
    assertThat(store.info(desc.digest()).labels())
        .isEqualTo(Map.of("containerd.io/distribution.source.r", "a/b", "extra", "1"));
  }

  @Test
  void everyConcurrentCommitReturnsAfterAnFsyncThatSawItsBlob() throws Exception {
    RecordingSyncer syncer = new RecordingSyncer();
    LocalContentStore store = LocalContentStore.builder(root).syncer(syncer).build();
    int blobs = 48;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < blobs; i++) {
        byte[] data = randomBytes(4_096 + i, 100 + i);
        Descriptor desc = layer(data);
        results.add(
            pool.submit(
                () -> {
                  try (ContentWriter w = store.writer("blob-" + desc.digest(), desc)) {
                    writeAll(w, data);
                    w.commit(data.length, desc.digest(), Map.of("k", "v"));
                  }
                  // Checked the moment commit returns: a later fsync must not be what covers it.
                  return syncer.durableEntries.contains(desc.digest().encoded());
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(syncer.files).hasValue(blobs);
    assertThat(syncer.directories).hasSizeBetween(1, blobs);
  }
}
