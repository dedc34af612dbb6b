package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.ChildProcesses.Child;
import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blobs up to {@link LocalContentStore.Builder#smallBlobThreshold} are kept in memory and written
 * once, at commit: no ingest directory, the same exclusion, verification and durability.
 */
@Timeout(60)
class SmallBlobWriterTest {

  @TempDir Path root;

  private Path ingestDir(String ref) {
    return root.resolve("ingest").resolve(Digest.sha256(ref).encoded());
  }

  @Test
  void smallBlobIsCommittedWithoutAnIngestDirectory() throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    LocalContentStore other = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(64 * 1024, 1);
    Descriptor desc = ChildProcesses.layer(data);

    try (ContentWriter w = store.writer("small", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 1000));
      assertThat(ingestDir("small")).doesNotExist();
      assertThat(store.status("small").offset()).isEqualTo(1000);
      assertThat(store.ingests()).extracting(s -> s.ref()).containsExactly("small");
      // Another instance (or process) does not see an in-memory ingest.
      assertThatThrownBy(() -> other.status("small")).isInstanceOf(NotFoundException.class);
      w.write(ByteBuffer.wrap(data, 1000, data.length - 1000));
      w.commit(data.length, desc.digest(), Map.of("k", "v"));
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.info(desc.digest()).labels()).isEqualTo(Map.of("k", "v"));
    assertThat(LocalContentStoreTest.listNames(root.resolve("ingest")))
        .containsExactly("refs.lock");
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void thresholdDecidesWhichBlobsStayInMemory() throws Exception {
    LocalContentStore store = LocalContentStore.builder(root).smallBlobThreshold(1000).build();
    byte[] atLimit = ChildProcesses.content(1000, 2);
    byte[] over = ChildProcesses.content(1001, 3);

    try (ContentWriter w = store.writer("at", ChildProcesses.layer(atLimit));
        ContentWriter v = store.writer("over", ChildProcesses.layer(over))) {
      w.write(ByteBuffer.wrap(atLimit, 0, 10));
      v.write(ByteBuffer.wrap(over, 0, 10));
      assertThat(ingestDir("at")).doesNotExist();
      assertThat(ingestDir("over").resolve("data")).exists();
    }
    // A descriptor without a size is never small: the size check needs it.
    byte[] tiny = {1, 2, 3};
    Descriptor noSize =
        Descriptor.of(ChildProcesses.layer(tiny).mediaType(), Digest.sha256(tiny), 0);
    try (ContentWriter w = store.writer("nosize", noSize)) {
      w.write(ByteBuffer.wrap(tiny));
      assertThat(ingestDir("nosize").resolve("data")).exists();
    }
    assertThatThrownBy(() -> LocalContentStore.builder(root).smallBlobThreshold(-1))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> LocalContentStore.builder(root).smallBlobThreshold(1L << 40))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void closeWithoutCommitMovesTheBytesToAnIngestDirectoryThatAnyInstanceResumes() throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(300_000, 4);
    Descriptor desc = ChildProcesses.layer(data);
    try (ContentWriter w = store.writer("moved", desc)) {
      w.write(ByteBuffer.wrap(data, 0, 123_456));
    }
    assertThat(Files.size(ingestDir("moved").resolve("data"))).isEqualTo(123_456);

    LocalContentStore other = LocalContentStore.open(root);
    assertThat(other.status("moved").offset()).isEqualTo(123_456);
    try (ContentWriter w = other.writer("moved", desc)) {
      assertThat(w.status().offset()).isEqualTo(123_456);
      w.write(ByteBuffer.wrap(data, 123_456, data.length - 123_456));
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(other, desc)).isEqualTo(data);
    assertThat(other.ingests()).isEmpty();
  }

  @Test
  void writesOutOfOrderAndExtraBytesGoToTheIngestDirectory() throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(500_000, 5);
    Descriptor desc = ChildProcesses.layer(data);
    try (ContentWriter w = store.writer("ranges", desc)) {
      w.writeAt(0, ByteBuffer.wrap(data, 0, 100_000));
      w.writeAt(300_000, ByteBuffer.wrap(data, 300_000, 200_000));
      assertThat(ingestDir("ranges").resolve("data")).exists();
      w.writeAt(100_000, ByteBuffer.wrap(data, 100_000, 200_000));
      assertThat(w.status().offset()).isEqualTo(data.length);
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);

    byte[] small = ChildProcesses.content(1000, 6);
    Descriptor smallDesc = ChildProcesses.layer(small);
    try (ContentWriter w = store.writer("extra", smallDesc)) {
      w.write(ByteBuffer.wrap(small));
      w.write(ByteBuffer.wrap(new byte[] {7}));
      assertThat(w.status().offset()).isEqualTo(1001);
      assertThatThrownBy(() -> w.commit(small.length, smallDesc.digest(), Map.of()))
          .isInstanceOf(FailedPreconditionException.class)
          .hasMessageContaining("1001");
    }
    assertThat(store.exists(smallDesc.digest())).isFalse();
    assertThat(store.status("extra").offset()).isEqualTo(1001);
  }

  @Test
  void killedWriterOfASmallBlobLeavesNothingAndTheNextWriterStartsOver() throws Exception {
    int size = 500_000;
    byte[] data = ChildProcesses.content(size, 77);
    Descriptor desc = ChildProcesses.layer(data);
    try (Child child = ChildProcesses.start("write", root, "killed", "" + size, "77", "300000")) {
      assertThat(child.nextLine()).isEqualTo("WROTE 300000");
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    LocalContentStore store = LocalContentStore.open(root);
    assertThat(store.ingests()).isEmpty();
    assertThat(LocalContentStoreTest.listTree(root.resolve("blobs"))).allMatch(Files::isDirectory);
    try (ContentWriter w = store.writer("killed", desc)) { // the dead process's slot is free
      assertThat(w.status().offset()).isZero();
      w.write(ByteBuffer.wrap(data));
      w.commit(size, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  @Test
  void smallAndDirectoryWritersOfOneRefExcludeEachOtherAcrossProcesses() throws Exception {
    // The parent writes through an ingest directory, the child keeps its 1-byte blob in memory.
    LocalContentStore dirs = LocalContentStore.builder(root).smallBlobThreshold(0).build();
    Descriptor desc = ChildProcesses.layer(new byte[] {1});
    try (ContentWriter held = dirs.writer("mixed", desc)) {
      assertThat(held.isOpen()).isTrue();
      try (Child child = ChildProcesses.start("try", root, "mixed")) {
        assertThat(child.nextLine()).startsWith("UNAVAILABLE").contains("mixed");
      }
    }
    dirs.abort("mixed"); // else the child would resume the directory the parent left
    try (Child child = ChildProcesses.start("hold", root, "mixed")) {
      assertThat(child.nextLine()).isEqualTo("HELD mixed");
      assertThat(ingestDir("mixed")).doesNotExist(); // the child holds it in memory
      assertThatThrownBy(() -> dirs.writer("mixed", desc))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("mixed");
      child.endInput();
      assertThat(child.nextLine()).isEqualTo("RELEASED");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (ContentWriter w = dirs.writer("mixed", desc)) {
      assertThat(w.isOpen()).isTrue();
    }
  }

  @Test
  void smallAndDirectoryWritersOfOneRefExcludeEachOtherInOneJvm() throws Exception {
    LocalContentStore dirs = LocalContentStore.builder(root).smallBlobThreshold(0).build();
    LocalContentStore small = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(2_000, 11);
    Descriptor desc = ChildProcesses.layer(data);

    try (ContentWriter held = small.writer("one-jvm", desc)) {
      held.write(ByteBuffer.wrap(data, 0, 500));
      assertThatThrownBy(() -> dirs.writer("one-jvm", desc))
          .isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> dirs.abort("one-jvm")).isInstanceOf(UnavailableException.class);
      assertThatThrownBy(() -> small.abort("one-jvm")).isInstanceOf(UnavailableException.class);
    }
    try (ContentWriter held = dirs.writer("one-jvm", desc)) {
      assertThat(held.status().offset()).isEqualTo(500); // the small writer's bytes, kept
      assertThatThrownBy(() -> small.writer("one-jvm", desc))
          .isInstanceOf(UnavailableException.class);
      held.write(ByteBuffer.wrap(data, 500, data.length - 500));
      held.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(small, desc)).isEqualTo(data);
    assertThat(small.ingests()).isEmpty();
  }

  @Test
  void ingestDirectoryInTheFormatBeforeSmallBlobsResumes() throws Exception {
    // As every Hoist before this change left one: ref, data, startedat, total, expected, lock.
    byte[] data = ChildProcesses.content(5_000, 8);
    Descriptor desc = ChildProcesses.layer(data);
    LocalContentStore.open(root); // creates the layout
    Path dir = Files.createDirectories(ingestDir("old"));
    Files.write(dir.resolve("data"), java.util.Arrays.copyOf(data, 2_000));
    Files.writeString(dir.resolve("ref"), "old");
    Files.writeString(dir.resolve("startedat"), "2026-01-02T03:04:05Z");
    Files.writeString(dir.resolve("total"), "5000");
    Files.writeString(dir.resolve("expected"), desc.digest().toString());
    Files.createFile(dir.resolve("lock"));
    // And the debris of one that crashed before its ref file was written: restarted clean.
    Path debris = Files.createDirectories(ingestDir("debris"));
    Files.write(debris.resolve("data"), new byte[] {9, 9, 9});

    LocalContentStore store = LocalContentStore.open(root);
    assertThat(store.status("old").offset()).isEqualTo(2_000);
    assertThat(store.status("old").startedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    try (ContentWriter w = store.writer("old", desc)) {
      assertThat(w.status().offset()).isEqualTo(2_000);
      w.write(ByteBuffer.wrap(data, 2_000, 3_000));
      w.commit(data.length, desc.digest(), Map.of());
    }
    try (ContentWriter w = store.writer("debris", ChildProcesses.layer(new byte[] {1}))) {
      assertThat(w.status().offset()).isZero();
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(ingestDir("old")).doesNotExist();
  }

  @Test
  void plantedLinksAtTheTemporaryAndTheLockFileAreNeitherFollowedNorWritten(@TempDir Path outside)
      throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(10_000, 9);
    Descriptor desc = ChildProcesses.layer(data);
    Path victim = Files.writeString(outside.resolve("victim"), "untouched");
    Path hardVictim = Files.writeString(outside.resolve("hard"), "untouched too");
    Path refsLock = root.resolve("ingest/refs.lock");
    Files.deleteIfExists(refsLock);
    Files.createSymbolicLink(refsLock, victim);
    Path tmp = root.resolve("ingest").resolve(Digest.sha256("planted").encoded() + ".tmp");
    Files.createSymbolicLink(tmp, victim);

    try (ContentWriter w = store.writer("planted", desc)) {
      w.write(ByteBuffer.wrap(data));
      Files.delete(tmp);
      Files.createLink(tmp, hardVictim); // swapped for a hard link while the writer writes
      w.commit(data.length, desc.digest(), Map.of());
    }

    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(Files.readString(victim)).isEqualTo("untouched");
    assertThat(Files.readString(hardVictim)).isEqualTo("untouched too");
    assertThat(Files.getAttribute(hardVictim, "unix:nlink")).isEqualTo(1);
    assertThat(Files.isSymbolicLink(refsLock)).isFalse();
    assertThat(
            Files.getAttribute(
                store.root().resolve("blobs/sha256/" + desc.digest().encoded()), "unix:nlink"))
        .isEqualTo(1);
  }

  @Test
  void temporaryLeftByAKilledCommitIsRemovedByAgeAndByTheNextWriter() throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = "committed later".getBytes(StandardCharsets.UTF_8);
    Descriptor desc = ChildProcesses.layer(data);
    Path tmp = root.resolve("ingest").resolve(Digest.sha256("left").encoded() + ".tmp");
    Path other = root.resolve("ingest").resolve(Digest.sha256("stale").encoded() + ".tmp");
    Files.write(tmp, data);
    Files.write(other, new byte[] {1});
    Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

    assertThat(store.removeIngestsOlderThan(Duration.ofDays(1))).isEmpty();
    assertThat(other).doesNotExist();
    assertThat(tmp).exists(); // recent: it may be a commit in flight

    try (ContentWriter w = store.writer("left", desc)) {
      w.write(ByteBuffer.wrap(data));
      w.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(tmp).doesNotExist();
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(LocalContentStoreTest.listNames(root.resolve("ingest")))
        .isEqualTo(List.of("refs.lock"));
  }

  @Test
  void droppedSmallWriterFreesItsRefOnceCollected() throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(10_000, 10);
    Descriptor desc = ChildProcesses.layer(data);
    writeAndDrop(store, data, desc);

    ContentWriter w = null;
    for (int attempt = 0; attempt < 20 && w == null; attempt++) {
      System.gc();
      try {
        w = store.writer("dropped", desc);
      } catch (UnavailableException e) {
        // not collected yet: collect again
      }
    }
    assertThat(w).as("writer after the dropped one was collected").isNotNull();
    try (ContentWriter again = w) {
      assertThat(again.status().offset()).isZero(); // its bytes were in memory only
      again.write(ByteBuffer.wrap(data));
      again.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  private static void writeAndDrop(LocalContentStore store, byte[] data, Descriptor desc)
      throws Exception {
    ContentWriter w = store.writer("dropped", desc);
    w.write(ByteBuffer.wrap(data, 0, 1000));
    // no close: the writer becomes unreachable when this method returns
  }
}
