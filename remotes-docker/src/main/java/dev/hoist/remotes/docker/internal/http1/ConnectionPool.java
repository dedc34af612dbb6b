package dev.hoist.remotes.docker.internal.http1;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Idle keep-alive connections per {@link ConnectionKey}, most recently used first. A connection
 * idle longer than the time to live is closed, by the next acquire or by a sweep scheduled on the
 * owner's timer thread while any connection is idle, so an unused resolver holds no socket for
 * long; {@link #close()} closes them all at once.
 */
final class ConnectionPool {

  /** Idle time after which a pooled connection is closed rather than reused. */
  static final long IDLE_TTL_NANOS = TimeUnit.SECONDS.toNanos(20);

  /** Idle connections kept per key; more are closed on release. */
  static final int MAX_IDLE_PER_KEY = 32;

  /** The owner's timer, or null: idle connections are then closed only by acquire and close. */
  private final Supplier<ScheduledExecutorService> timer;

  private final Map<ConnectionKey, Deque<Http1Connection>> idle = new HashMap<>();
  private boolean sweepScheduled;
  private boolean closed;

  /**
   * @param timer the owner's timer thread for idle sweeps, or null for none
   */
  ConnectionPool(Supplier<ScheduledExecutorService> timer) {
    this.timer = timer;
  }

  /** An idle connection for {@code key}, or null. */
  Http1Connection acquire(ConnectionKey key) {
    long now = System.nanoTime();
    Http1Connection stale = null;
    try {
      synchronized (this) {
        Deque<Http1Connection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
          Http1Connection c = q.pollFirst();
          // A connection with unsolicited bytes waiting would have them read as the next reply.
          if (c.isOpen() && now - c.idleSince < IDLE_TTL_NANOS && !c.hasUnsolicitedBytes()) {
            return c;
          }
          if (stale != null) {
            stale.close();
          }
          stale = c;
        }
        return null;
      }
    } finally {
      if (stale != null) {
        stale.close();
      }
    }
  }

  /** Returns a connection whose last reply was fully read and allows keep-alive. */
  void release(Http1Connection c) {
    if (!c.isOpen() || c.hasBufferedBytes()) {
      c.close(); // bytes beyond the reply would be mistaken for the next one
      return;
    }
    c.idleSince = System.nanoTime();
    boolean kept;
    synchronized (this) {
      Deque<Http1Connection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
      kept = !closed && q.size() < MAX_IDLE_PER_KEY;
      if (kept) {
        q.addFirst(c);
        scheduleSweep(IDLE_TTL_NANOS);
      }
    }
    if (!kept) {
      c.close();
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    Deque<Http1Connection> expired = new ArrayDeque<>();
    synchronized (this) {
      sweepScheduled = false;
      for (Iterator<Deque<Http1Connection>> qs = idle.values().iterator(); qs.hasNext(); ) {
        Deque<Http1Connection> q = qs.next();
        q.removeIf(
            c -> {
              boolean old = now - c.idleSince >= IDLE_TTL_NANOS || !c.isOpen();
              if (old) {
                expired.add(c);
              }
              return old;
            });
        if (q.isEmpty()) {
          qs.remove();
        }
      }
      if (!idle.isEmpty()) {
        scheduleSweep(IDLE_TTL_NANOS / 2);
      }
    }
    expired.forEach(Http1Connection::close);
  }

  /** Called holding the lock. */
  private void scheduleSweep(long delayNanos) {
    if (sweepScheduled || timer == null || closed) {
      return;
    }
    try {
      timer.get().schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
      sweepScheduled = true;
    } catch (RuntimeException e) {
      // The owner is closing: close() is about to empty the pool anyway.
    }
  }

  /** Closes every idle connection; connections released later are closed instead of kept. */
  void close() {
    List<Http1Connection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(all::addAll);
      idle.clear();
    }
    all.forEach(Http1Connection::close);
  }

  /** Idle connections with unsolicited bytes waiting (for tests). */
  synchronized int idleWithUnsolicitedBytes() {
    return (int)
        idle.values().stream()
            .flatMap(Deque::stream)
            .filter(Http1Connection::hasUnsolicitedBytes)
            .count();
  }

  /** Idle connections held (for tests). */
  synchronized int idleCount() {
    return idle.values().stream().mapToInt(Deque::size).sum();
  }
}
