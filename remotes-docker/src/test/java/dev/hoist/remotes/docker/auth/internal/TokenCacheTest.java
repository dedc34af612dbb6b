package dev.hoist.remotes.docker.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.errors.UnavailableException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenCacheTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  final TokenCache cache = new TokenCache(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(5));

  static TokenCache.Token token(String v, long generation) {
    return new TokenCache.Token(v, NOW.plusSeconds(300), generation);
  }

  /** Waits until {@code t} blocks (on the shared future), without sleeping. */
  static void awaitBlocked(Thread t) {
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      if (!t.isAlive()) {
        throw new AssertionError(t.getName() + " ended instead of waiting");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void concurrentCallersWaitForTheOneFetchInFlight() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    TokenCache.Loader loader =
        g -> {
          loads.incrementAndGet();
          loading.countDown();
          await(release);
          return token("shared", g);
        };
    CompletableFuture<TokenCache.Token> owner = new CompletableFuture<>();
    Thread first = new Thread(() -> complete(owner, loader), "owner");
    first.start();
    loading.await();
    List<CompletableFuture<TokenCache.Token>> waiters = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<TokenCache.Token> f = new CompletableFuture<>();
      Thread t = new Thread(() -> complete(f, loader), "waiter-" + i);
      t.start();
      waiters.add(f);
      threads.add(t);
    }
    threads.forEach(TokenCacheTest::awaitBlocked);
    assertThat(waiters).noneMatch(CompletableFuture::isDone);

    release.countDown();

    assertThat(owner.get().value()).isEqualTo("shared");
    for (CompletableFuture<TokenCache.Token> f : waiters) {
      assertThat(f.get()).isSameAs(owner.get());
    }
    assertThat(loads).hasValue(1);
  }

  private static void await(CountDownLatch latch) throws InterruptedIOException {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new InterruptedIOException("interrupted");
    }
  }

  private void complete(CompletableFuture<TokenCache.Token> f, TokenCache.Loader loader) {
    try {
      f.complete(cache.get("k", loader));
    } catch (Throwable e) {
      f.completeExceptionally(e);
    }
  }

  @Test
  void failedFetchIsNotCached() throws Exception {
    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    g -> {
                      throw new UnavailableException("token server down");
                    }))
        .isInstanceOf(UnavailableException.class);

    assertThat(cache.get("k", g -> token("second", g)).value()).isEqualTo("second");
  }

  @Test
  void waiterRetriesWhenTheFetchingThreadWasInterrupted() throws Exception {
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    CompletableFuture<TokenCache.Token> owner = new CompletableFuture<>();
    Thread first =
        new Thread(
            () ->
                complete(
                    owner,
                    g -> {
                      loading.countDown();
                      await(fail);
                      throw new InterruptedIOException("owner interrupted");
                    }));
    first.start();
    loading.await();
    CompletableFuture<TokenCache.Token> waiter = new CompletableFuture<>();
    Thread second = new Thread(() -> complete(waiter, g -> token("own", g)));
    second.start();
    awaitBlocked(second);

    fail.countDown();

    assertThat(waiter.get().value()).isEqualTo("own");
    assertThatThrownBy(owner::get).hasCauseInstanceOf(InterruptedIOException.class);
  }

  @Test
  void invalidateByGenerationSparesANewerToken() throws Exception {
    TokenCache.Token t1 = cache.get("k", g -> token("one", g));
    cache.invalidate("k", t1.generation());
    TokenCache.Token t2 = cache.get("k", g -> token("two", g));

    cache.invalidate("k", t1.generation()); // a late 401 for a request that carried t1

    assertThat(cache.peek("k")).contains(t2);
    assertThat(t2.toString()).doesNotContain("two");
  }

  @Test
  void tokenIsStaleWithinTheSkewBeforeExpiry() {
    assertThat(cache.isFresh(new TokenCache.Token("t", NOW.plusSeconds(6), 1))).isTrue();
    assertThat(cache.isFresh(new TokenCache.Token("t", NOW.plusSeconds(5), 1))).isFalse();
  }
}
