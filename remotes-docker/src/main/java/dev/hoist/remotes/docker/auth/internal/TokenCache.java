package dev.hoist.remotes.docker.auth.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bearer tokens by key (host, realm, service and sorted scopes). At most one fetch per key is in
 * flight: concurrent callers wait on the same future instead of each asking the token server.
 * Tokens are renewed {@code skew} before they expire, by whichever caller first sees that.
 */
public final class TokenCache {

  /** A cached token. {@link #toString()} redacts it. */
  public record Token(String value, Instant expiresAt, long generation) {
    @Override
    public String toString() {
      return "Token[***, expiresAt=" + expiresAt + ", generation=" + generation + "]";
    }
  }

  /** Fetches a token; called by exactly one thread per key at a time. */
  @FunctionalInterface
  public interface Loader {
    Token load(long generation) throws IOException;
  }

  private static final int CLEANUP_THRESHOLD = 256;

  private final ConcurrentHashMap<String, CompletableFuture<Token>> entries =
      new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong();
  private final Clock clock;
  private final Duration skew;

  public TokenCache(Clock clock, Duration skew) {
    this.clock = clock;
    this.skew = skew;
  }

  /** A fresh token for {@code key}: the cached one, one being fetched, or a new one. */
  public Token get(String key, Loader loader) throws IOException {
    while (true) {
      CompletableFuture<Token> f = entries.get(key);
      if (f == null) {
        CompletableFuture<Token> mine = new CompletableFuture<>();
        if (entries.putIfAbsent(key, mine) == null) {
          return load(key, mine, loader);
        }
        continue;
      }
      if (f.isDone()) {
        Token t = f.isCompletedExceptionally() ? null : f.join();
        if (t != null && isFresh(t)) {
          return t;
        }
        CompletableFuture<Token> mine = new CompletableFuture<>();
        if (entries.replace(key, f, mine)) {
          return load(key, mine, loader);
        }
        continue;
      }
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a token");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InterruptedIOException) {
          continue; // the fetching thread was interrupted, not us: fetch again
        }
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(cause);
      }
    }
  }

  private Token load(String key, CompletableFuture<Token> mine, Loader loader) throws IOException {
    try {
      Token t = loader.load(generations.incrementAndGet());
      mine.complete(t);
      cleanup();
      return t;
    } catch (IOException | RuntimeException | Error e) {
      entries.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** The token cached for {@code key}, if one is complete (fresh or not). */
  public Optional<Token> peek(String key) {
    CompletableFuture<Token> f = entries.get(key);
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return Optional.empty();
    }
    return Optional.of(f.join());
  }

  /** Drops the token cached for {@code key} (not one still being fetched). */
  public void invalidate(String key) {
    CompletableFuture<Token> f = entries.get(key);
    if (f != null && f.isDone()) {
      entries.remove(key, f);
    }
  }

  /**
   * Drops the token cached for {@code key} only if it is the one of {@code generation}: a token
   * fetched since (by a concurrent request) is left alone.
   */
  public void invalidate(String key, long generation) {
    CompletableFuture<Token> f = entries.get(key);
    if (f != null
        && f.isDone()
        && !f.isCompletedExceptionally()
        && f.join().generation() == generation) {
      entries.remove(key, f);
    }
  }

  /** True while {@code t} may still be used: until {@code skew} before it expires. */
  public boolean isFresh(Token t) {
    return clock.instant().isBefore(t.expiresAt().minus(skew));
  }

  /** Number of entries, for tests and diagnostics. */
  public int size() {
    return entries.size();
  }

  private void cleanup() {
    if (entries.size() <= CLEANUP_THRESHOLD) {
      return;
    }
    entries.forEach(
        (k, f) -> {
          if (f.isDone() && (f.isCompletedExceptionally() || !isFresh(f.join()))) {
            entries.remove(k, f);
          }
        });
  }
}
