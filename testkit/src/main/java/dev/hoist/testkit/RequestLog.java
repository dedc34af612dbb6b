package dev.hoist.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every request a {@link TestRegistry} answered, in the order the responses finished, so that
 * tests can assert what a client did. Thread-safe. Credentials are redacted (see {@link
 * LoggedRequest}).
 */
public final class RequestLog {

  private final List<LoggedRequest> entries = new CopyOnWriteArrayList<>();

  RequestLog() {}

  void add(LoggedRequest r) {
    entries.add(r);
  }

  /** A snapshot of the entries so far. */
  public List<LoggedRequest> entries() {
    return List.copyOf(entries);
  }

  /** The entries whose method equals {@code method} (null: any) and whose path contains a match of {@code pathRegex}. */
  public List<LoggedRequest> matching(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    Predicate<LoggedRequest> m = r -> (method == null || r.method().equalsIgnoreCase(method)) && p.matcher(r.path()).find();
    return entries.stream().filter(m).collect(Collectors.toUnmodifiableList());
  }

  /** Body bytes sent over all entries. */
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
