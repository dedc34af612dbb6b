package dev.hoist.testkit.internal;

import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The registered fault rules with their counters. Thread-safe. */
public final class FaultEngine {

  private final List<Registration> rules = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch stallLatch = new CountDownLatch(1);
  private volatile boolean closed;

  private static final class Registration {
    final FaultRule rule;
    final AtomicLong matched = new AtomicLong();
    final AtomicLong applied = new AtomicLong();

    Registration(FaultRule rule) {
      this.rule = rule;
    }
  }

  public void add(FaultRule rule) {
    rules.add(new Registration(rule));
  }

  public boolean remove(FaultRule rule) {
    return rules.removeIf(r -> r.rule.equals(rule));
  }

  public void clear() {
    rules.clear();
  }

  public List<FaultRule> rules() {
    List<FaultRule> out = new ArrayList<>();
    rules.forEach(r -> out.add(r.rule));
    return List.copyOf(out);
  }

  /** Requests that matched {@code rule}'s method and path so far (summed over equal rules). */
  public long matched(FaultRule rule) {
    return rules.stream().filter(r -> r.rule.equals(rule)).mapToLong(r -> r.matched.get()).sum();
  }

  /** Requests {@code rule}'s fault was applied to so far (summed over equal rules). */
  public long applied(FaultRule rule) {
    return rules.stream().filter(r -> r.rule.equals(rule)).mapToLong(r -> r.applied.get()).sum();
  }

  /** Counts this request against every matching rule and returns the faults that apply to it. */
  public List<Fault> select(String method, String rawPath) {
    List<Fault> out = new ArrayList<>(2);
    for (Registration r : rules) {
      if (r.rule.matches(method, rawPath)) {
        long n = r.matched.incrementAndGet();
        if (r.rule.appliesTo(n)) {
          r.applied.incrementAndGet();
          out.add(r.rule.fault());
        }
      }
    }
    return out;
  }

  /** Blocks a stalled response for up to {@code d}, or until {@link #releaseStalls()} or close. */
  public void stall(Duration d) throws InterruptedException {
    if (!closed) {
      stallLatch.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Ends every stall in progress; later stalls block again. */
  public void releaseStalls() {
    CountDownLatch old = stallLatch;
    stallLatch = new CountDownLatch(1);
    old.countDown();
  }

  /** Ends every stall, now and later. */
  public void close() {
    closed = true;
    stallLatch.countDown();
  }
}
