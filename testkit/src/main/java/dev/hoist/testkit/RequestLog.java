package dev.hoist.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every request a {@link TestRegistry} answered, so that tests can assert what a client did.
 * Entries are in the order the client could have seen the responses: an error or redirect is logged
 * before its status line is sent (a client may act on the status alone), a complete body before its
 * last bytes, and a response cut short when it ends. A client's request made in reaction to a
 * response is therefore always logged after it. Thread-safe. Credentials are redacted (see {@link
 * LoggedRequest}).
 */
public final class RequestLog {

  private final List<LoggedRequest> entries = new CopyOnWriteArrayList<>();

  RequestLog() {}

  void add(LoggedRequest r) {
    entries.add(r);
  }

  /** {@return a snapshot of the entries so far} */
  public List<LoggedRequest> entries() {
    return List.copyOf(entries);
  }

  /**
   * The entries whose method equals {@code method} (null: any) and whose path contains a match of
   * {@code pathRegex}.
   *
   * @param method an HTTP method, or null for any
   * @param pathRegex a regular expression found anywhere in the raw path
   * @return the matching entries, in the order they were answered
   */
  public List<LoggedRequest> matching(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    Predicate<LoggedRequest> m =
        r -> (method == null || r.method().equalsIgnoreCase(method)) && p.matcher(r.path()).find();
    return entries.stream().filter(m).collect(Collectors.toUnmodifiableList());
  }

  /** {@return the response body bytes sent over all entries} */
  public long totalBytesSent() {
    return entries.stream().mapToLong(LoggedRequest::bytesSent).sum();
  }

  /** Forgets every entry. */
  public void clear() {
    entries.clear();
  }

  @Override
  public String toString() {
    return entries.stream().map(LoggedRequest::toString).collect(Collectors.joining("\n"));
  }
}
