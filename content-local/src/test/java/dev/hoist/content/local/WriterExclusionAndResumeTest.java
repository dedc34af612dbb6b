package dev.hoist.content.local;

import static dev.hoist.testing.content.ContentStoreFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.ChildProcesses.Child;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exclusive refs across threads and processes, and resuming after a killed JVM. */
@Timeout(60)
class WriterExclusionAndResumeTest {

  @Test
  void resumesAfterWritingJvmIsKilledMidBlob(@TempDir Path root) throws Exception {
    int size = 8 * 1024 * 1024 + 123;
    int stopAfter = 5 * 1024 * 1024 + 7;
    byte[] data = ChildProcesses.content(size, 77);
    Descriptor desc = ChildProcesses.layer(data);

    try (Child child =
        ChildProcesses.start("write", root, "killed", "" + size, "77", "" + stopAfter)) {
      assertThat(child.nextLine()).isEqualTo("WROTE " + stopAfter);
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    LocalContentStore store = LocalContentStore.open(root);
    assertThat(store.status("killed").offset()).isEqualTo(stopAfter);
    try (ContentWriter w = store.writer("killed", desc)) { // the dead process's lock is gone
      assertThat(w.status().offset()).isEqualTo(stopAfter);
      w.write(ByteBuffer.wrap(data, stopAfter, size - stopAfter));
      assertThat(w.digest()).isEqualTo(desc.digest());
      w.commit(size, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void commitRacingAnotherProcessThatCommittedFirstThrowsAlreadyExists(@TempDir Path root)
      throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(2_000_000, 21);
    Descriptor desc = ChildProcesses.layer(data);
    try (ContentWriter slow = store.writer("parent-ref", desc)) {
      slow.write(ByteBuffer.wrap(data));
      try (Child child =
          ChildProcesses.start("commit", root, "child-ref", "" + data.length, "21")) {
        assertThat(child.nextLine()).isEqualTo("COMMITTED " + desc.digest());
      }

      assertThatThrownBy(() -> slow.commit(data.length, desc.digest(), Map.of("by", "parent")))
          .isInstanceOf(dev.hoist.errors.AlreadyExistsException.class)
          .hasMessageContaining(desc.digest().toString());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
    assertThat(store.info(desc.digest()).labels()).containsEntry("by", "child");
    assertThat(store.ingests()).isEmpty();
  }

  @Test
  void refHeldByAnotherProcessIsUnavailableUntilReleased(@TempDir Path root) throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor desc = ChildProcesses.layer(new byte[] {1});

    try (Child child = ChildProcesses.start("hold", root, "cross")) {
      assertThat(child.nextLine()).isEqualTo("HELD cross");

      assertThatThrownBy(() -> store.writer("cross", desc))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("cross");
      assertThatThrownBy(() -> store.abort("cross")).isInstanceOf(UnavailableException.class);

      child.endInput();
      assertThat(child.nextLine()).isEqualTo("RELEASED");
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (ContentWriter w = store.writer("cross", desc)) {
      assertThat(w.status().ref()).isEqualTo("cross");
    }
  }

  @Test
  void refHeldInThisProcessIsUnavailableToAnother(@TempDir Path root) throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor desc = ChildProcesses.layer(new byte[] {1});

    try (ContentWriter held = store.writer("mine", desc)) {
      assertThat(held.isOpen()).isTrue();
      try (Child child = ChildProcesses.start("try", root, "mine")) {
        assertThat(child.nextLine()).startsWith("UNAVAILABLE").contains("mine");
      }
    }
    try (Child child = ChildProcesses.start("try", root, "mine")) {
      assertThat(child.nextLine()).isEqualTo("ACQUIRED");
    }
  }

  @Test
  void resumesAfterWriterIsDroppedWithoutClose(@TempDir Path root) throws Exception {
    // An ingest directory's writer: a small blob's writer keeps its bytes in memory until close.
    LocalContentStore store =
        LocalContentStore.builder(root)
            .lockWait(Duration.ofSeconds(2))
            .smallBlobThreshold(0)
            .build();
    byte[] data = ChildProcesses.content(300_000, 9);
    Descriptor desc = ChildProcesses.layer(data);
    writeAndDrop(store, data, desc, 100_000);

    // A dropped writer's ref is freed when it is collected (a Cleaner closes its lock).
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
    try (ContentWriter resumed = w) {
      assertThat(resumed.status().offset()).isEqualTo(100_000);
      resumed.write(ByteBuffer.wrap(data, 100_000, data.length - 100_000));
      resumed.commit(data.length, desc.digest(), Map.of());
    }
    assertThat(readAll(store, desc)).isEqualTo(data);
  }

  private static void writeAndDrop(LocalContentStore store, byte[] data, Descriptor desc, int n)
      throws Exception {
    ContentWriter w = store.writer("dropped", desc);
    w.write(ByteBuffer.wrap(data, 0, n));
    // no close: the writer becomes unreachable when this method returns
  }

  @Test
  void twoProcessesUpdatingIndexLoseNoImage(@TempDir Path root) throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    int n = 40;
    try (Child child = ChildProcesses.start("images", root, "example.com/child:", "" + n)) {
      assertThat(child.nextLine()).isEqualTo("READY");
      for (int i = 0; i < n; i++) {
        store.create(
            dev.hoist.images.Image.of(
                "example.com/parent:" + i,
                ChildProcesses.layer(new byte[] {(byte) i})
                    .withMediaType(dev.hoist.spec.MediaTypes.OCI_MANIFEST)));
      }
      assertThat(child.nextLine()).isEqualTo("CREATED " + n);
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.list()).hasSize(2 * n);
  }

  @Test
  void twoThreadsOpeningOneRefTogetherGetOneWriter(@TempDir Path root) throws Exception {
    LocalContentStore store = LocalContentStore.open(root);
    Descriptor desc = ChildProcesses.layer(new byte[] {1});
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String ref = "race-" + round;
        CyclicBarrier start = new CyclicBarrier(2);
        CountDownLatch bothTried = new CountDownLatch(2);
        List<Future<ContentWriter>> tries = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          tries.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                      return store.writer(ref, desc);
                    } catch (UnavailableException e) {
                      return null;
                    } finally {
                      bothTried.countDown();
                    }
                  }));
        }
        assertThat(bothTried.await(20, TimeUnit.SECONDS)).isTrue();
        List<ContentWriter> opened = new ArrayList<>();
        for (Future<ContentWriter> f : tries) {
          ContentWriter w = f.get();
          if (w != null) {
            opened.add(w);
          }
        }
        assertThat(opened).as("writers opened in round %d", round).hasSize(1);
        opened.get(0).close();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void writerWithLockWaitGetsRefOnceHolderCloses(@TempDir Path root) throws Exception {
    LocalContentStore waiting =
        LocalContentStore.builder(root).lockWait(Duration.ofSeconds(30)).build();
    LocalContentStore holding = LocalContentStore.open(root);
    byte[] data = ChildProcesses.content(1000, 5);
    Descriptor desc = ChildProcesses.layer(data);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      ContentWriter first = holding.writer("wait", desc);
      first.write(ByteBuffer.wrap(data, 0, 300));
      CountDownLatch asking = new CountDownLatch(1);
      Future<Long> second =
          pool.submit(
              () -> {
                asking.countDown();
                try (ContentWriter w = waiting.writer("wait", desc)) {
                  return w.status().offset();
                }
              });
      assertThat(asking.await(10, TimeUnit.SECONDS)).isTrue();
      first.close();

      // Whether it waited or came after the close, it resumes from the holder's bytes.
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(300);
    } finally {
      pool.shutdownNow();
    }
  }
}
