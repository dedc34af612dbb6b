package dev.hoist.testkit;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.testkit.internal.Checks;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When a {@link Fault} applies: requests whose method and path match, and which of those (the first
 * {@code n}, every {@code n}th, or all). Immutable; counts live in {@link Faults}.
 *
 * <pre>{@code
 * registry.faults().add(FaultRule.on("GET", "/blobs/sha256:").first(2).inject(Fault.status(503)));
 * }</pre>
 *
 * @param method an HTTP method, or null for any
 * @param path a regular expression found anywhere in the raw request path (anchor it with ^ and $)
 * @param first apply to the first {@code first} matching requests only (0: no such limit)
 * @param everyNth apply to every {@code everyNth} matching request, the nth, 2nth... (0 or 1: every
 *     one)
 * @param fault what happens
 */
public record FaultRule(String method, Pattern path, int first, int everyNth, Fault fault) {

  /**
   * Validates; a null or {@code *} method means any method.
   *
   * @param method an HTTP method, or null for any
   * @param path a regular expression found anywhere in the raw request path (anchor it with ^ and
   *     $)
   * @param first apply to the first {@code first} matching requests only (0: no such limit)
   * @param everyNth apply to every {@code everyNth} matching request, the nth, 2nth... (0 or 1:
   *     every one)
   * @param fault what happens
   */
  public FaultRule {
    Checks.notNull(path, "path");
    Checks.notNull(fault, "fault");
    method = method == null || method.equals("*") ? null : method.toUpperCase(Locale.ROOT);
    if (first < 0 || everyNth < 0) {
      throw new InvalidArgumentException("first and everyNth must be zero or positive");
    }
  }

  /**
   * Starts a rule for {@code method} (null or {@code *}: any) and a path regular expression.
   *
   * @param method an HTTP method, or null or {@code *} for any
   * @param pathRegex a regular expression found anywhere in the raw request path
   * @return a builder for the rule's schedule
   */
  public static Builder on(String method, String pathRegex) {
    return new Builder(method, Pattern.compile(pathRegex));
  }

  /**
   * Whether a request with this method and raw path matches the rule (regardless of its schedule).
   *
   * @param requestMethod the request's HTTP method
   * @param rawPath the request's raw path, not decoded
   * @return whether the method and path match
   */
  public boolean matches(String requestMethod, String rawPath) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && path.matcher(rawPath).find();
  }

  /**
   * Whether the {@code n}th matching request (1-based) gets the fault.
   *
   * @param n the position of the request among the matching ones, from 1
   * @return whether the fault applies to it
   */
  public boolean appliesTo(long n) {
    if (first > 0 && n > first) {
      return false;
    }
    return everyNth <= 1 || n % everyNth == 0;
  }

  @Override
  public String toString() {
    return (method == null ? "*" : method)
        + " "
        + path.pattern()
        + (first > 0 ? " first " + first : "")
        + (everyNth > 1 ? " every " + everyNth + "th" : "")
        + ": "
        + fault;
  }

  /** Chooses the schedule, then {@link #inject(Fault)} makes the rule. */
  public static final class Builder {
    private final String method;
    private final Pattern path;
    private int first;
    private int everyNth;

    private Builder(String method, Pattern path) {
      this.method = method;
      this.path = path;
    }

    /**
     * Only the first {@code n} matching requests.
     *
     * @param n how many matching requests get the fault, positive
     * @return this builder
     * @throws InvalidArgumentException when {@code n <= 0}
     */
    public Builder first(int n) {
      if (n <= 0) {
        throw new InvalidArgumentException("first(n) needs n > 0: " + n);
      }
      this.first = n;
      return this;
    }

    /**
     * The nth, 2nth, 3nth... matching request.
     *
     * @param n the period, positive
     * @return this builder
     * @throws InvalidArgumentException when {@code n <= 0}
     */
    public Builder everyNth(int n) {
      if (n <= 0) {
        throw new InvalidArgumentException("everyNth(n) needs n > 0: " + n);
      }
      this.everyNth = n;
      return this;
    }

    /**
     * Every matching request (the default).
     *
     * @return this builder
     */
    public Builder always() {
      this.first = 0;
      this.everyNth = 0;
      return this;
    }

    /**
     * The rule applying {@code fault} on this schedule; add it with {@link Faults#add(FaultRule)}.
     *
     * @param fault what happens to the requests chosen
     * @return the rule
     */
    public FaultRule inject(Fault fault) {
      return new FaultRule(method, path, first, everyNth, fault);
    }
  }
}
