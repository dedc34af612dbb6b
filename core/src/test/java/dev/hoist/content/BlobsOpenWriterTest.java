package dev.hoist.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BlobsOpenWriterTest {

  private final InMemoryContentStore store = new InMemoryContentStore();
  private final Descriptor desc = TestBlobs.layer("busy blob".getBytes(UTF_8));

  /** A fake time source the fake sleeper advances, so waits are observed without sleeping. */
  private final AtomicLong nanos = new AtomicLong();

  private final List<Long> delays = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private WriterBackoff fakeBackoff(java.util.function.IntUnaryOperator jitter) {
    return new WriterBackoff(
        jitter,
        millis -> {
          delays.add(millis);
          nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        },
        nanos::get);
  }

  @Test
  void returnsWriterOnceBusyRefIsReleasedByAnotherThread() throws Exception {
    ContentWriter holder = store.writer("ref", desc);
    CountDownLatch retrying = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    WriterBackoff backoff =
        new WriterBackoff(
            bound -> bound - 1,
            millis -> {
              retrying.countDown();
              released.await();
            },
            System::nanoTime);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ContentWriter> opened =
          pool.submit(() -> Blobs.openWriter(store, "ref", desc, Duration.ofSeconds(20), backoff));

      assertThat(retrying.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(opened).isNotDone();
      holder.close();
      released.countDown();

      try (ContentWriter w = opened.get(20, TimeUnit.SECONDS)) {
        assertThat(w.status().ref()).isEqualTo("ref");
        assertThat(w.isOpen()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void backoffBoundDoublesFromSixteenMillisUpToTwoSeconds() {
    AtomicInteger calls = new AtomicInteger();
    Ingester busyTwelveTimes =
        (ref, d) -> {
          if (calls.incrementAndGet() <= 12) {
            throw new UnavailableException("ref " + ref + " locked");
          }
          return store.writer(ref, d);
        };

    ContentWriter w =
        Blobs.openWriter(
            busyTwelveTimes, "ref", desc, Duration.ofMinutes(5), fakeBackoff(bound -> bound - 1));

    assertThat(w.isOpen()).isTrue();
    assertThat(calls).hasValue(13);
    assertThat(delays)
        .containsExactly(15L, 31L, 63L, 127L, 255L, 511L, 1023L, 2047L, 2047L, 2047L, 2047L, 2047L);
  }

  @Test
  void delaysAreJitteredWithinTheirBound() {
    AtomicInteger calls = new AtomicInteger();
    Ingester busy =
        (ref, d) -> {
          if (calls.incrementAndGet() <= 20) {
            throw new UnavailableException("locked");
          }
          return store.writer(ref, d);
        };
    Random seeded = new Random(42);

    Blobs.openWriter(busy, "ref", desc, Duration.ofMinutes(5), fakeBackoff(seeded::nextInt));

    assertThat(delays).hasSize(20);
    int bound = 16;
    for (long d : delays) {
      assertThat(d).isBetween(0L, bound - 1L);
      bound = Math.min(bound * 2, 2048);
    }
    // Full jitter: with a seeded source the delays are not all the bound.
    assertThat(delays).anyMatch(d -> d < 1000 && d > 0).doesNotHaveDuplicates();
  }

  @Test
  void givesUpWithUnavailableAfterMaxWait() {
    AtomicInteger calls = new AtomicInteger();
    UnavailableException busy = new UnavailableException("ref locked");
    Ingester alwaysBusy =
        (ref, d) -> {
          calls.incrementAndGet();
          throw busy;
        };

    assertThatThrownBy(
            () ->
                Blobs.openWriter(
                    alwaysBusy, "layer-x", desc, Duration.ofSeconds(1), fakeBackoff(b -> b - 1)))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("layer-x")
        .hasCause(busy);
    long slept = delays.stream().mapToLong(Long::longValue).sum();
    assertThat(slept).isEqualTo(1000);
    assertThat(calls.get()).isEqualTo(delays.size() + 1);
  }

  @Test
  void zeroMaxWaitTriesOnce() {
    AtomicInteger calls = new AtomicInteger();
    Ingester alwaysBusy =
        (ref, d) -> {
          calls.incrementAndGet();
          throw new UnavailableException("locked");
        };

    assertThatThrownBy(
            () -> Blobs.openWriter(alwaysBusy, "ref", desc, Duration.ZERO, fakeBackoff(b -> 1)))
        .isInstanceOf(UnavailableException.class);
    assertThat(calls).hasValue(1);
    assertThat(delays).isEmpty();
  }

  @Test
  void alreadyExistsPassesThroughWithoutRetry() throws IOException {
    TestBlobs.commit(store, "first", "busy blob".getBytes(UTF_8));

    assertThatThrownBy(
            () ->
                Blobs.openWriter(store, "second", desc, Duration.ofMinutes(1), fakeBackoff(b -> 1)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(delays).isEmpty();
  }

  @Test
  void interruptWhileWaitingCancelsAndKeepsInterruptFlag() {
    Ingester alwaysBusy =
        (ref, d) -> {
          throw new UnavailableException("locked");
        };
    WriterBackoff interrupted =
        new WriterBackoff(
            b -> 1,
            millis -> {
              throw new InterruptedException("test interrupt");
            },
            System::nanoTime);

    assertThatThrownBy(
            () -> Blobs.openWriter(alwaysBusy, "ref", desc, Duration.ofMinutes(1), interrupted))
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("ref");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void ioFailureOfIngesterIsUnknown() {
    Ingester broken =
        (ref, d) -> {
          throw new IOException("disk full");
        };

    assertThatThrownBy(() -> Blobs.openWriter(broken, "ref", desc, Duration.ofMinutes(1)))
        .isInstanceOf(UnknownException.class)
        .hasMessageContaining("disk full")
        .hasMessageContaining("ref");
  }

  @Test
  void rejectsNegativeMaxWait() {
    assertThatThrownBy(() -> Blobs.openWriter(store, "ref", desc, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
