package dev.hoist.remotes.docker.auth;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.auth.internal.ChallengeParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses {@code WWW-Authenticate} header values into {@link Challenge}s (RFC 7235 grammar, as
 * containerd's {@code auth.ParseAuthHeader}, but also splitting several challenges in one value).
 *
 * <p>Malformed input is tolerated the way containerd tolerates it: parsing of a header value stops
 * at the first malformed part and keeps what was valid before it. Oversized input (more than
 * {@value #MAX_TOTAL_CHARS} characters in all) is refused with an {@link InvalidArgumentException},
 * so a hostile registry cannot make the client do unbounded work.
 */
public final class WwwAuthenticate {

  /** Upper bound on the summed length of all header values. */
  public static final int MAX_TOTAL_CHARS = 64 * 1024;

  /** Upper bound on the number of challenges kept. */
  public static final int MAX_CHALLENGES = 64;

  private WwwAuthenticate() {}

  /**
   * Parses every header value and returns the challenges ordered {@code bearer}, {@code digest},
   * {@code basic}, then other schemes; the order is otherwise stable.
   *
   * @param headerValues the values of every {@code WWW-Authenticate} header of one reply
   * @return the challenges, possibly empty
   * @throws InvalidArgumentException when the values exceed {@value #MAX_TOTAL_CHARS} characters
   */
  public static List<Challenge> parse(List<String> headerValues) {
    if (headerValues == null || headerValues.isEmpty()) {
      return List.of();
    }
    long total = 0;
    for (String v : headerValues) {
      total += v == null ? 0 : v.length();
    }
    if (total > MAX_TOTAL_CHARS) {
      throw new InvalidArgumentException(
          "WWW-Authenticate header of "
              + total
              + " characters exceeds the limit of "
              + MAX_TOTAL_CHARS);
    }
    List<Challenge> out = new ArrayList<>();
    for (String v : headerValues) {
      if (v != null) {
        out.addAll(ChallengeParser.parse(v));
      }
      if (out.size() >= MAX_CHALLENGES) {
        out = out.subList(0, MAX_CHALLENGES);
        break;
      }
    }
    List<Challenge> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingInt(WwwAuthenticate::rank));
    return List.copyOf(sorted);
  }

  private static int rank(Challenge c) {
    switch (c.scheme()) {
      case Challenge.BEARER:
        return 0;
      case "digest":
        return 1;
      case Challenge.BASIC:
        return 2;
      default:
        return 3;
    }
  }
}
