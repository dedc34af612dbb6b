package dev.hoist.content.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Concurrent directory syncs share fsyncs, and none returns before one that covers it. */
@Timeout(30)
class GroupSyncTest {

  private final Path dir = Path.of("blobs", "sha256");
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** A syncer whose directory syncs each wait for the test's go, in order. */
  private static final class HeldSyncer implements Syncer {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final List<CountDownLatch> startedLatch = new ArrayList<>();
    final List<CountDownLatch> release = new ArrayList<>();
    volatile IOException failFirst;

    HeldSyncer(int n) {
      for (int i = 0; i < n; i++) {
        startedLatch.add(new CountDownLatch(1));
        release.add(new CountDownLatch(1));
      }
    }

    @Override
    public void file(FileChannel file) {
      throw new AssertionError("no file sync expected");
    }

    @Override
    public void directory(Path d) throws IOException {
      int i = started.getAndIncrement();
      startedLatch.get(i).countDown();
      try {
        release.get(i).await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      finished.incrementAndGet();
      if (i == 0 && failFirst != null) {
        throw failFirst;
      }
    }
  }

  private Future<?> syncing(GroupSync group) {
    return pool.submit(
        () -> {
          group.sync(dir);
          return null;
        });
  }

  private static void awaitCalls(GroupSync group, Path d, long n) {
    while (group.callsBegun(d) < n) {
      Thread.onSpinWait(); // bounded by @Timeout
    }
  }

  @Test
  void callerArrivingDuringAnFsyncWaitsForTheNextOne() throws Exception {
    HeldSyncer syncer = new HeldSyncer(2);
    GroupSync group = new GroupSync(syncer);
    Future<?> first = syncing(group);
    assertThat(syncer.startedLatch.get(0).await(10, TimeUnit.SECONDS)).isTrue();

    // Its link happened after fsync #1 began, so #1 does not cover it.
    Future<?> late = syncing(group);
    awaitCalls(group, dir, 2);
    syncer.release.get(0).countDown();
    first.get(10, TimeUnit.SECONDS);

    assertThat(syncer.startedLatch.get(1).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(late.isDone()).isFalse(); // still waiting for fsync #2
    syncer.release.get(1).countDown();
    late.get(10, TimeUnit.SECONDS);
    assertThat(syncer.finished).hasValue(2);
  }

  @Test
  void callersWaitingTogetherShareOneFsync() throws Exception {
    HeldSyncer syncer = new HeldSyncer(2);
    GroupSync group = new GroupSync(syncer);
    Future<?> first = syncing(group);
    assertThat(syncer.startedLatch.get(0).await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<?>> waiting = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      waiting.add(syncing(group));
    }
    awaitCalls(group, dir, 8);

    syncer.release.get(0).countDown();
    syncer.release.get(1).countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : waiting) {
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(syncer.started).hasValue(2); // eight callers, two fsyncs
  }

  @Test
  void aFailedFsyncFailsItsCallerAndTheWaitersSyncAgain() throws Exception {
    HeldSyncer syncer = new HeldSyncer(2);
    syncer.failFirst = new IOException("disk on fire");
    GroupSync group = new GroupSync(syncer);
    Future<?> first = syncing(group);
    assertThat(syncer.startedLatch.get(0).await(10, TimeUnit.SECONDS)).isTrue();
    Future<?> waiter = syncing(group);
    awaitCalls(group, dir, 2);

    syncer.release.get(0).countDown();
    syncer.release.get(1).countDown();

    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk on fire");
    waiter.get(10, TimeUnit.SECONDS); // not covered by the failed fsync: it made its own
    assertThat(syncer.started).hasValue(2);
  }

  @Test
  void directoriesDoNotShareFsyncs() throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    List<Path> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
    GroupSync group =
        new GroupSync(
            new Syncer() {
              @Override
              public void file(FileChannel file) {
                throw new AssertionError("no file sync expected");
              }

              @Override
              public void directory(Path d) {
                syncs.incrementAndGet();
                synced.add(d);
              }
            });

    group.sync(dir);
    group.sync(Path.of("blobs", "sha512"));
    group.sync(dir); // sequential: nothing to share, each call needs its own fsync

    assertThat(synced).containsExactly(dir, Path.of("blobs", "sha512"), dir);
  }

  @Test
  void anInterruptedWaiterStillWaitsForItsFsyncAndKeepsTheInterrupt() throws Exception {
    HeldSyncer syncer = new HeldSyncer(2);
    GroupSync group = new GroupSync(syncer);
    Future<?> first = syncing(group);
    assertThat(syncer.startedLatch.get(0).await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                group.sync(dir);
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
              } catch (IOException | RuntimeException e) {
                interruptedAfter.completeExceptionally(e);
              }
            });
    waiter.start();
    awaitCalls(group, dir, 2);
    waiter.interrupt();

    syncer.release.get(0).countDown();
    first.get(10, TimeUnit.SECONDS);
    assertThat(syncer.startedLatch.get(1).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interruptedAfter).isNotDone();
    syncer.release.get(1).countDown();

    assertThat(interruptedAfter.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
