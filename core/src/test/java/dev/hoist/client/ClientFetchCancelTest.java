package dev.hoist.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: interrupting the fetching thread cancels the downloads in flight. */
@Timeout(30)
class ClientFetchCancelTest extends FetchFixture {

  @Test
  void interruptingTheFetchCancelsInFlightDownloadsAndRecordsNothing() throws Exception {
    CountDownLatch layerStarted = new CountDownLatch(1);
    AtomicInteger layerDownloadsEnded = new AtomicInteger();
    remote.onFetch(
        desc -> {
          if (!MediaTypes.isLayer(desc.mediaType())) {
            return;
          }
          layerStarted.countDown();
          try {
            new CountDownLatch(1).await(); // a download that only an interrupt ends
          } catch (InterruptedException e) {
            throw new UncheckedIOException(new InterruptedIOException("download interrupted"));
          } finally {
            layerDownloadsEnded.incrementAndGet();
          }
        });
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread fetching =
        new Thread(
            () -> {
              try {
                client.fetch(REF, ctx().platforms("linux/amd64").build());
              } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    fetching.start();
    layerStarted.await();

    fetching.interrupt();
    fetching.join();

    assertThat(thrown.get()).isInstanceOf(CancellationException.class);
    assertThat(stillInterrupted.get()).isTrue();
    // Every layer download that started had ended by the time fetch returned.
    int started = 0;
    for (Descriptor layer : image.layers("linux/amd64")) {
      started += remote.fetchCount(layer.digest());
    }
    assertThat(layerDownloadsEnded.get()).isEqualTo(started).isPositive();
    assertThat(images.list()).isEmpty();
    for (Descriptor layer : image.layers("linux/amd64")) {
      assertThat(store.exists(layer.digest())).isFalse();
    }
  }
}
