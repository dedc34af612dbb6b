package dev.hoist.testkit;

import java.util.List;
import java.util.Map;

/**
 * One request the registry answered, as {@link RequestLog} records it. {@code Authorization} and
 * {@code Proxy-Authorization} values are replaced by {@code <redacted>}; everything else is as
 * received.
 *
 * @param method e.g. {@code GET}
 * @param path the raw request path, e.g. {@code /v2/library/nginx/blobs/sha256:...}
 * @param query the raw query, or the empty string
 * @param headers request headers, names as the JDK server normalises them (first letter upper case)
 * @param status the status sent, or 0 when the connection failed before a status was sent
 * @param bytesSent response body bytes actually written
 */
public record LoggedRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    int status,
    long bytesSent) {

  /** The marker that replaces credential header values. */
  public static final String REDACTED = "<redacted>";

  /**
   * Copies the headers; a null query becomes empty.
   *
   * @param method e.g. {@code GET}
   * @param path the raw request path, e.g. {@code /v2/library/nginx/blobs/sha256:...}
   * @param query the raw query, or the empty string
   * @param headers request headers, names as the JDK server normalises them (first letter upper
   *     case)
   * @param status the status sent, or 0 when the connection failed before a status was sent
   * @param bytesSent response body bytes actually written
   */
  public LoggedRequest {
    query = query == null ? "" : query;
    headers = Map.copyOf(headers);
  }

  /**
   * The first value of header {@code name} (case-insensitive), or null.
   *
   * @param name a header name, in any case
   * @return its first value, or null when the request had no such header
   */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (query.isEmpty() ? "" : "?" + query)
        + " -> "
        + status
        + " ("
        + bytesSent
        + " bytes)";
  }
}
