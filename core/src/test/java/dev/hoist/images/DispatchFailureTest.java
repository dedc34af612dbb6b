package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dispatch's structured failure handling: fail fast, cancellation, classification. */
@Timeout(30)
class DispatchFailureTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final TestGraph graph = new TestGraph();

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static Descriptor d(String name) {
    return TestGraph.d(name);
  }

  @Test
  void firstFailureIsThrownAfterInterruptingAndAwaitingTheOthers() throws Exception {
    Descriptor root = d("root");
    Descriptor failing = d("failing");
    Descriptor slow1 = d("slow1");
    Descriptor slow2 = d("slow2");
    Descriptor queued = d("queued");
    graph.edge(root, slow1, slow2, failing, queued);
    graph.edge(slow1, d("child-of-slow1"));
    CountDownLatch slowStarted = new CountDownLatch(2);
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    NotFoundException boom = new NotFoundException("boom");
    Handler handler =
        desc -> {
          List<Descriptor> children = graph.handle(desc);
          if (desc.equals(failing)) {
            try {
              slowStarted.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            throw boom;
          }
          if (desc.equals(slow1) || desc.equals(slow2)) {
            slowStarted.countDown();
            try {
              new CountDownLatch(1).await(); // only an interrupt ends this
            } catch (InterruptedException e) {
              interrupted.incrementAndGet();
              throw new IOException("interrupted", e);
            } finally {
              finished.incrementAndGet();
            }
          }
          return children;
        };

    assertThatThrownBy(() -> Dispatch.run(handler, pool, 3, root)).isSameAs(boom);

    // Both blocked handlers were interrupted and had finished before run returned.
    assertThat(finished.get()).isEqualTo(2);
    assertThat(interrupted.get()).isEqualTo(2);
    assertThat(graph.count(queued)).isZero();
    assertThat(graph.count(d("child-of-slow1"))).isZero();
    assertThat(boom.getSuppressed()).hasSize(2);
  }

  @Test
  void interruptingTheCallerCancelsAndWaitsForHandlers() throws Exception {
    Descriptor root = d("root");
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    Handler handler =
        desc -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            throw new IOException("interrupted", e);
          } finally {
            finished.incrementAndGet();
          }
          return List.of();
        };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                Dispatch.run(handler, pool, 1, root);
              } catch (Throwable t) {
                thrown.set(t);
                flagAfter.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    started.await();
    caller.interrupt();
    caller.join();

    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(flagAfter.get()).isTrue();
    assertThat(finished.get()).isEqualTo(1);
  }

  @Test
  void ioFailuresAreClassifiedAndNameTheDescriptor() {
    Descriptor remote = d("remote");
    Descriptor local = d("local");
    Handler network =
        desc -> {
          throw new ConnectException("connection refused");
        };
    Handler disk =
        desc -> {
          throw new IOException("disk full");
        };

    assertThatThrownBy(() -> Dispatch.run(network, pool, 1, remote))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(remote.digest().toString())
        .hasCauseInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> Dispatch.walk(disk, local))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining(local.digest().toString())
        .hasMessageContaining("disk full");
  }

  @Test
  void rejectingExecutorFailsAsUnknown() {
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();

    assertThatThrownBy(() -> Dispatch.run(graph, dead, 1, d("root")))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining("executor refused");
  }

  @Test
  void nullChildrenFromAHandlerFailTheWalk() {
    Handler broken = desc -> null;

    assertThatThrownBy(() -> Dispatch.run(broken, pool, 1, d("x")))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining("null children");
  }

  @Test
  void runReturnsOnlyAfterEveryHandlerHasFinished() {
    Descriptor root = d("root");
    for (int i = 0; i < 20; i++) {
      graph.edge(root, d("child" + i));
    }
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Handler handler =
        desc -> {
          started.incrementAndGet();
          try {
            return graph.handle(desc);
          } finally {
            Thread.yield();
            finished.incrementAndGet();
          }
        };

    Dispatch.run(handler, pool, 5, root);

    assertThat(started.get()).isEqualTo(21);
    assertThat(finished.get()).isEqualTo(21);
  }

  @Test
  void workerThreadsAreNotLeftInterruptedAfterACancelledTask() throws Exception {
    // A bare executor: unlike ThreadPoolExecutor it does not clear interrupts between tasks,
    // so an interrupt Dispatch leaked would reach the worker's next wait or task.
    BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    AtomicInteger strayInterrupts = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread w =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    Runnable r = queue.poll(10, TimeUnit.MILLISECONDS);
                    if (r != null) {
                      r.run();
                    }
                  } catch (InterruptedException e) {
                    strayInterrupts.incrementAndGet();
                  }
                }
              });
      w.start();
      workers.add(w);
    }
    Executor bare = queue::add;
    try {
      Descriptor root = d("root");
      Descriptor blocked = d("blocked");
      Descriptor failing = d("failing");
      graph.edge(root, blocked, failing);
      CountDownLatch blockedIn = new CountDownLatch(1);
      Handler handler =
          desc -> {
            if (desc.equals(blocked)) {
              blockedIn.countDown();
              // Like a read that notices the interrupt but leaves the flag set.
              while (!Thread.currentThread().isInterrupted()) {
                LockSupport.park();
              }
              throw new IOException("interrupted");
            }
            if (desc.equals(failing)) {
              try {
                blockedIn.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              throw new NotFoundException("failing");
            }
            return graph.handle(desc);
          };

      assertThatThrownBy(() -> Dispatch.run(handler, bare, 2, root))
          .isInstanceOf(NotFoundException.class);

      List<Boolean> flags = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 6; i++) {
        Dispatch.run(
            desc -> {
              flags.add(Thread.currentThread().isInterrupted());
              return List.of();
            },
            bare,
            2,
            d("probe" + i));
      }
      assertThat(flags).hasSize(6).containsOnly(false);
      assertThat(strayInterrupts.get()).isZero();
    } finally {
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
    }
  }

  @Test
  void nullChildInTheListFailsTheWalkInsteadOfHanging() {
    Descriptor root = d("root");
    Handler broken = desc -> desc.equals(root) ? java.util.Arrays.asList(d("ok"), null) : List.of();

    assertThatThrownBy(() -> Dispatch.run(broken, pool, 2, root))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining(root.digest().toString());
    assertThatThrownBy(() -> Dispatch.walk(broken, root)).isInstanceOf(UnknownException.class);
  }
}
