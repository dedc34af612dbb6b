package dev.hoist.testkit;

import dev.hoist.testkit.internal.FaultEngine;
import java.util.List;

/**
 * The fault rules of one {@link TestRegistry}. Thread-safe: rules may be added while requests are
 * being served; each request is counted against every rule whose method and path match, and gets
 * the faults of those rules whose schedule admits it.
 *
 * <pre>{@code
 * FaultRule twice503 = FaultRule.on("GET", "/blobs/").first(2).inject(Fault.status(503));
 * registry.faults().add(twice503);
 * ... // run the client
 * assertThat(registry.faults().applied(twice503)).isEqualTo(2);
 * }</pre>
 */
public final class Faults {

  private final FaultEngine engine;

  Faults(FaultEngine engine) {
    this.engine = engine;
  }

  /**
   * Adds a rule and returns it (to ask {@link #applied} later).
   *
   * @param rule the rule; it applies from the next request
   * @return {@code rule}
   */
  public FaultRule add(FaultRule rule) {
    engine.add(rule);
    return rule;
  }

  /**
   * Shorthand for {@code add(FaultRule.on(method, pathRegex).inject(fault))}: every matching
   * request.
   *
   * @param method an HTTP method, or null or {@code *} for any
   * @param pathRegex a regular expression found anywhere in the raw request path
   * @param fault what happens to every matching request
   * @return the rule added
   */
  public FaultRule add(String method, String pathRegex, Fault fault) {
    return add(FaultRule.on(method, pathRegex).inject(fault));
  }

  /**
   * Removes a rule (and its counters); returns whether it was present.
   *
   * @param rule a rule added before
   * @return whether it was present
   */
  public boolean remove(FaultRule rule) {
    return engine.remove(rule);
  }

  /** Removes every rule. */
  public void clear() {
    engine.clear();
  }

  /** {@return the rules in the order they were added} */
  public List<FaultRule> rules() {
    return engine.rules();
  }

  /**
   * How many requests matched {@code rule}'s method and path.
   *
   * @param rule a rule added before
   * @return the count of requests that matched it, whether or not the fault applied
   */
  public long matched(FaultRule rule) {
    return engine.matched(rule);
  }

  /**
   * How many requests {@code rule}'s fault was applied to.
   *
   * @param rule a rule added before
   * @return the count of requests that got its fault
   */
  public long applied(FaultRule rule) {
    return engine.applied(rule);
  }

  /** Lets every stalled response continue now (see {@link Fault#stall}). */
  public void releaseStalls() {
    engine.releaseStalls();
  }
}
