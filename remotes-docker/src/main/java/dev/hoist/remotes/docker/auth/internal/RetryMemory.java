package dev.hoist.remotes.docker.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Remembers which requests were answered 401 and retried, so that a second 401 for the same request
 * (method and URI) becomes an error instead of a loop. The cycle is: 401 → {@link #recordFirst} →
 * {@link #onAuthorize} (the retry) → 401 again → {@link #isRetryOf} is true. A later, new attempt
 * of the same request calls {@link #onAuthorize} a second time, which forgets the entry. Entries
 * also expire after a window, so the map stays small.
 */
public final class RetryMemory {

  /** One remembered 401. */
  public static final class Entry {
    final Instant at;
    final List<String> challengeScopes;
    final AtomicBoolean retried = new AtomicBoolean();

    Entry(Instant at, List<String> challengeScopes) {
      this.at = at;
      this.challengeScopes = List.copyOf(challengeScopes);
    }

    /** The scopes the 401's challenge asked for. */
    public List<String> challengeScopes() {
      return challengeScopes;
    }
  }

  private static final int CLEANUP_THRESHOLD = 1024;

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration window;

  public RetryMemory(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  /** Records a first 401 for {@code request}. */
  public void recordFirst(String request, List<String> challengeScopes) {
    if (entries.size() > CLEANUP_THRESHOLD) {
      Instant cutoff = clock.instant().minus(window);
      entries.values().removeIf(e -> e.at.isBefore(cutoff));
    }
    entries.put(request, new Entry(clock.instant(), challengeScopes));
  }

  /**
   * Called when {@code request} is about to be sent. Returns the entry when this is the retry after
   * a recorded 401; forgets the entry (and returns null) when this is a later attempt.
   */
  public Entry onAuthorize(String request) {
    Entry e = live(request);
    if (e == null) {
      return null;
    }
    if (e.retried.compareAndSet(false, true)) {
      return e;
    }
    entries.remove(request, e);
    return null;
  }

  /** True when {@code request} got a 401 before and has been retried since. */
  public boolean isRetryOf(String request) {
    Entry e = live(request);
    return e != null && e.retried.get();
  }

  /** Forgets {@code request}. */
  public void forget(String request) {
    entries.remove(request);
  }

  private Entry live(String request) {
    Entry e = entries.get(request);
    if (e == null) {
      return null;
    }
    if (e.at.plus(window).isBefore(clock.instant())) {
      entries.remove(request, e);
      return null;
    }
    return e;
  }
}
