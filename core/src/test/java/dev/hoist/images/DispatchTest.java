package dev.hoist.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dispatch's walk: bound, no deadlock, each digest once, depth limit, signals, order. */
@Timeout(30)
class DispatchTest {

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
  void neverRunsMoreHandlersThanTheLimitAtOnce() {
    int limit = 3;
    Descriptor root = d("root");
    List<Descriptor> leaves = new ArrayList<>();
    for (int i = 0; i < 4 * limit; i++) {
      leaves.add(d("leaf" + i));
    }
    graph.edge(root, leaves.toArray(new Descriptor[0]));
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
            return graph.handle(desc);
          } catch (Exception e) {
            throw new IOException(e);
          } finally {
            inFlight.decrementAndGet();
          }
        };

    Dispatch.run(handler, pool, limit, root);

    assertThat(max.get()).isEqualTo(limit);
    assertThat(leaves).allSatisfy(l -> assertThat(graph.count(l)).isEqualTo(1));
  }

  @Test
  void oneThreadExecutorCompletesWideAndDeepGraphWithoutDeadlock() throws Exception {
    Descriptor root = d("root");
    List<Descriptor> all = new ArrayList<>(List.of(root));
    for (int i = 0; i < 50; i++) {
      Descriptor mid = d("mid" + i);
      graph.edge(root, mid);
      all.add(mid);
      for (int j = 0; j < 3; j++) {
        Descriptor leaf = d("leaf" + i + "-" + j);
        graph.edge(mid, leaf);
        all.add(leaf);
      }
    }
    Descriptor previous = d("mid0");
    for (int k = 0; k < 12; k++) {
      Descriptor next = d("chain" + k);
      graph.edge(previous, next);
      all.add(next);
      previous = next;
    }
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      Dispatch.run(graph, single, 4, root);
    } finally {
      single.shutdownNow();
    }

    assertThat(all).allSatisfy(desc -> assertThat(graph.count(desc)).isEqualTo(1));
  }

  @Test
  void directExecutorWalksEverythingOnTheCallingThread() {
    Descriptor root = d("root");
    Descriptor a = d("a");
    Descriptor b = d("b");
    graph.edge(root, a, b);
    graph.edge(a, d("a1"));
    List<Thread> threads = new CopyOnWriteArrayList<>();
    Handler handler =
        desc -> {
          threads.add(Thread.currentThread());
          return graph.handle(desc);
        };

    Dispatch.run(handler, Runnable::run, 1, root);

    assertThat(threads).hasSize(4).containsOnly(Thread.currentThread());
  }

  @Test
  void blobListedTwiceIsHandledOnce() {
    Descriptor root = d("index");
    Descriptor m1 = d("m1");
    Descriptor m2 = d("m2");
    Descriptor shared = d("shared-layer");
    graph.edge(root, m1, m2);
    graph.edge(m1, shared, d("own1"));
    graph.edge(m2, shared, d("own2"));

    Dispatch.run(graph, pool, 3, root);

    assertThat(graph.count(shared)).isEqualTo(1);
    assertThat(graph.handled()).hasSize(6);
  }

  @Test
  void indexThatContainsItselfTerminates() {
    Descriptor index = d("index");
    Descriptor other = d("other");
    graph.edge(index, index, other);
    graph.edge(other, index);

    Dispatch.run(graph, pool, 2, index);
    Dispatch.walk(graph, index);

    assertThat(graph.count(index)).isEqualTo(2); // once per walk
    assertThat(graph.count(other)).isEqualTo(2);
  }

  @Test
  void graphDeeperThanTheLimitIsRefused() {
    Descriptor root = d("level0");
    Descriptor previous = root;
    for (int i = 1; i <= Dispatch.MAX_DEPTH + 1; i++) {
      Descriptor next = d("level" + i);
      graph.edge(previous, next);
      previous = next;
    }

    assertThatThrownBy(() -> Dispatch.run(graph, pool, 2, root))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(previous.digest().toString())
        .hasMessageContaining("deeper than " + Dispatch.MAX_DEPTH);
    assertThatThrownBy(() -> Dispatch.walk(graph, root))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void graphExactlyAtTheDepthLimitIsWalked() {
    Descriptor root = d("level0");
    Descriptor previous = root;
    for (int i = 1; i <= Dispatch.MAX_DEPTH; i++) {
      Descriptor next = d("level" + i);
      graph.edge(previous, next);
      previous = next;
    }

    Dispatch.run(graph, pool, 2, root);

    assertThat(graph.count(previous)).isEqualTo(1);
  }

  @Test
  void signalsSkipChildrenAndNeverEscape() {
    Descriptor root = d("root");
    Descriptor skipped = d("skipped");
    Descriptor stopped = d("stopped");
    graph.edge(root, skipped, stopped);
    graph.edge(skipped, d("under-skipped"));
    graph.edge(stopped, d("under-stopped"));
    Handler handler =
        desc -> {
          List<Descriptor> children = graph.handle(desc);
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

    assertThat(graph.count(skipped)).isEqualTo(2);
    assertThat(graph.count(d("under-skipped"))).isZero();
    assertThat(graph.count(d("under-stopped"))).isZero();
  }

  @Test
  void everyDescriptorIsReportedQueuedBeforeItsHandlerRuns() {
    Descriptor root = d("root");
    graph.edge(root, d("a"), d("b"), d("c"));
    List<String> events = new CopyOnWriteArrayList<>();
    Handler handler =
        desc -> {
          events.add("handle " + desc.digest());
          return graph.handle(desc);
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
    graph.edge(root, d("a"), d("b"));
    graph.edge(d("a"), d("a1"), d("a2"));
    List<Descriptor> order = new ArrayList<>();
    Handler handler =
        desc -> {
          order.add(desc);
          return graph.handle(desc);
        };

    Dispatch.walk(handler, root);

    assertThat(order).containsExactly(root, d("a"), d("a1"), d("a2"), d("b"));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> Dispatch.run(graph, pool, 0, d("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> Dispatch.run(null, pool, 1, d("x")))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void emptyRootsReturnAtOnceAndRepeatedRootsAreHandledOnce() {
    Dispatch.run(graph, pool, 1, List.of());
    assertThat(graph.handled()).isEmpty();

    Dispatch.run(graph, pool, 2, d("r"), d("r"), d("s"));

    assertThat(graph.count(d("r"))).isEqualTo(1);
    assertThat(graph.count(d("s"))).isEqualTo(1);
  }
}
