package dev.hoist.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A fetch on its own daemon thread whose future, when cancelled, interrupts that thread: the
 * fetch's cancellation (every request ended, every writer closed, partial ingests kept for a
 * resume). {@link CompletableFuture#cancel} alone would only complete the future.
 */
public final class AsyncFetch<T> extends CompletableFuture<T> {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final Thread thread;

  private AsyncFetch(Supplier<T> work) {
    this.thread =
        new Thread(
            () -> {
              try {
                complete(work.get());
              } catch (Throwable t) {
                completeExceptionally(t);
              }
            },
            "hoist-fetch-async-" + COUNT.incrementAndGet());
    thread.setDaemon(true);
  }

  /**
   * Starts {@code work} on a new daemon thread.
   *
   * @param work the fetch
   * @param <T> the result
   * @return the running fetch's future
   */
  public static <T> AsyncFetch<T> start(Supplier<T> work) {
    AsyncFetch<T> f = new AsyncFetch<>(work);
    f.thread.start();
    return f;
  }

  /**
   * Waits until the fetch's thread has ended, whatever the future says: after a cancel, its writers
   * are closed and nothing more is recorded once this returns.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public void awaitEnd() throws InterruptedException {
    thread.join();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      thread.interrupt();
    }
    return cancelled;
  }
}
