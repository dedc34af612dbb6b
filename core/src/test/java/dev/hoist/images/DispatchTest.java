package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DispatchTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final Map<Digest, List<Descriptor>> graph = new HashMap<>();
  private final Map<Digest, AtomicInteger> handled = new ConcurrentHashMap<>();

  @AfterEach
  void shutdown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  static Descriptor d(String name) {
    return Descriptor.of("application/x-test", Digest.sha256(name), name.length());
  }

  private void edge(Descriptor parent, Descriptor... children) {
    graph.computeIfAbsent(parent.digest(), k -> new ArrayList<>()).addAll(List.of(children));
  }

  /** Records the call and returns the graph's children. */
  private final Handler graphHandler =
      desc -> {
        handled.computeIfAbsent(desc.digest(), k -> new AtomicInteger()).incrementAndGet();
        return new ArrayList<>(graph.getOrDefault(desc.digest(), List.of()));
      };

  private int count(Descriptor desc) {
    AtomicInteger n = handled.get(desc.digest());
    return n == null ? 0 : n.get();
  }

  @Test
  void neverRunsMoreHandlersThanTheLimitAtOnce() {
    int limit = 3;
    Descriptor root = d("root");
    List<Descriptor> leaves = new ArrayList<>();
    for (int i = 0; i < 4 * limit; i++) {
      leaves.add(d("leaf" + i));
    }
    edge(root, leaves.toArray(new Descriptor[0]));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    // Leaves meet in groups of `limit`: the walk must reach `limit` at once to get past the
    // barrier, and any extra handler entering would push the count above it.
    CyclicBarrier barrier = new CyclicBarrier(limit);
    Handler handler =
        desc -> {
          int now = inFlight.incrementAndGet();
          max.accumulateAndGet(now, Math::max);
          try {
            if (!desc.equals(root)) {
              barrier.await(10, TimeUnit.SECONDS);
            }
            return graphHandler.handle(desc);
          } catch (Exception e) {
            throw new IOException(e);
          } finally {
            inFlight.decrementAndGet();
          }
        };

    Dispatch.run(handler, pool, limit, root);

    assertThat(max.get()).isEqualTo(limit);
    assertThat(leaves).allSatisfy(l -> assertThat(count(l)).isEqualTo(1));
  }

  @Test
  void oneThreadExecutorCompletesWideAndDeepGraphWithoutDeadlock() throws Exception {
    Descriptor root = d("root");
    List<Descriptor> all = new ArrayList<>(List.of(root));
    for (int i = 0; i < 50; i++) {
      Descriptor mid = d("mid" + i);
      edge(root, mid);
      all.add(mid);
      for (int j = 0; j < 3; j++) {
        Descriptor leaf = d("leaf" + i + "-" + j);
        edge(mid, leaf);
        all.add(leaf);
      }
    }
    Descriptor previous = d("mid0");
    for (int k = 0; k < 12; k++) {
      Descriptor next = d("chain" + k);
      edge(previous, next);
      all.add(next);
      previous = next;
    }
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      Dispatch.run(graphHandler, single, 4, root);
    } finally {
      single.shutdownNow();
    }

    assertThat(all).allSatisfy(desc -> assertThat(count(desc)).isEqualTo(1));
  }

  @Test
  void directExecutorWalksEverythingOnTheCallingThread() {
    Descriptor root = d("root");
    Descriptor a = d("a");
    Descriptor b = d("b");
    edge(root, a, b);
    edge(a, d("a1"));
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Handler handler =
        desc -> {
          threads.add(Thread.currentThread());
          return graphHandler.handle(desc);
        };

    Dispatch.run(handler, Runnable::run, 1, root);

    assertThat(threads).hasSize(4).containsOnly(Thread.currentThread());
  }

  @Test
  void firstFailureIsThrownAfterInterruptingAndAwaitingTheOthers() throws Exception {
    Descriptor root = d("root");
    Descriptor failing = d("failing");
    Descriptor slow1 = d("slow1");
    Descriptor slow2 = d("slow2");
    Descriptor queued = d("queued");
    edge(root, slow1, slow2, failing, queued);
    edge(slow1, d("child-of-slow1"));
    CountDownLatch slowStarted = new CountDownLatch(2);
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    NotFoundException boom = new NotFoundException("boom");
    Handler handler =
        desc -> {
          List<Descriptor> children = graphHandler.handle(desc);
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
    assertThat(count(queued)).isZero();
    assertThat(count(d("child-of-slow1"))).isZero();
    assertThat(boom.getSuppressed()).hasSize(2);
  }

  @Test
  void blobListedTwiceIsHandledOnce() {
    Descriptor root = d("index");
    Descriptor m1 = d("m1");
    Descriptor m2 = d("m2");
    Descriptor shared = d("shared-layer");
    edge(root, m1, m2);
    edge(m1, shared, d("own1"));
    edge(m2, shared, d("own2"));

    Dispatch.run(graphHandler, pool, 3, root);

    assertThat(count(shared)).isEqualTo(1);
    assertThat(handled).hasSize(6);
  }

  @Test
  void indexThatContainsItselfTerminates() {
    Descriptor index = d("index");
    Descriptor other = d("other");
    edge(index, index, other);
    edge(other, index);

    Dispatch.run(graphHandler, pool, 2, index);
    Dispatch.walk(graphHandler, index);

    assertThat(count(index)).isEqualTo(2); // once per walk
    assertThat(count(other)).isEqualTo(2);
  }

  @Test
  void graphDeeperThanTheLimitIsRefused() {
    Descriptor root = d("level0");
    Descriptor previous = root;
    for (int i = 1; i <= Dispatch.MAX_DEPTH + 1; i++) {
      Descriptor next = d("level" + i);
      edge(previous, next);
      previous = next;
    }

    assertThatThrownBy(() -> Dispatch.run(graphHandler, pool, 2, root))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(previous.digest().toString())
        .hasMessageContaining("deeper than " + Dispatch.MAX_DEPTH);
    assertThatThrownBy(() -> Dispatch.walk(graphHandler, root))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void graphExactlyAtTheDepthLimitIsWalked() {
    Descriptor root = d("level0");
    Descriptor previous = root;
    for (int i = 1; i <= Dispatch.MAX_DEPTH; i++) {
      Descriptor next = d("level" + i);
      edge(previous, next);
      previous = next;
    }

    Dispatch.run(graphHandler, pool, 2, root);

    assertThat(count(previous)).isEqualTo(1);
  }

  @Test
  void signalsSkipChildrenAndNeverEscape() {
    Descriptor root = d("root");
    Descriptor skipped = d("skipped");
    Descriptor stopped = d("stopped");
    edge(root, skipped, stopped);
    edge(skipped, d("under-skipped"));
    edge(stopped, d("under-stopped"));
    Handler handler =
        desc -> {
          List<Descriptor> children = graphHandler.handle(desc);
          if (desc.equals(skipped)) {
            throw HandlerSignal.SKIP_CHILDREN;
          }
          if (desc.equals(stopped)) {
            throw HandlerSignal.STOP;
          }
          return children;
        };

    Dispatch.run(handler, pool, 2, root);
    Dispatch.walk(handler, root);

    assertThat(count(skipped)).isEqualTo(2);
    assertThat(count(d("under-skipped"))).isZero();
    assertThat(count(d("under-stopped"))).isZero();
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

    assertThatThrownBy(() -> Dispatch.run(graphHandler, dead, 1, d("root")))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining("executor refused");
  }

  @Test
  void everyDescriptorIsReportedQueuedBeforeItsHandlerRuns() {
    Descriptor root = d("root");
    edge(root, d("a"), d("b"), d("c"));
    List<String> events = new CopyOnWriteArrayList<>();
    Handler handler =
        desc -> {
          events.add("handle " + desc.digest());
          return graphHandler.handle(desc);
        };

    Dispatch.run(handler, pool, 1, List.of(root), desc -> events.add("queued " + desc.digest()));

    assertThat(events).hasSize(8);
    for (String name : List.of("root", "a", "b", "c")) {
      String digest = d(name).digest().toString();
      assertThat(events.indexOf("queued " + digest))
          .isGreaterThanOrEqualTo(0)
          .isLessThan(events.indexOf("handle " + digest));
    }
  }

  @Test
  void walkIsDepthFirstInChildOrder() {
    Descriptor root = d("root");
    edge(root, d("a"), d("b"));
    edge(d("a"), d("a1"), d("a2"));
    List<Descriptor> order = new ArrayList<>();
    Handler handler =
        desc -> {
          order.add(desc);
          return graphHandler.handle(desc);
        };

    Dispatch.walk(handler, root);

    assertThat(order).containsExactly(root, d("a"), d("a1"), d("a2"), d("b"));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> Dispatch.run(graphHandler, pool, 0, d("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> Dispatch.run(null, pool, 1, d("x")))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void nullChildrenFromAHandlerFailTheWalk() {
    Handler broken = desc -> null;

    assertThatThrownBy(() -> Dispatch.run(broken, pool, 1, d("x")))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining("null children");
  }
}
