package dev.hoist.remotes.docker.internal.http1;

import java.util.List;
import java.util.Map;

/**
 * A parsed response head.
 *
 * @param status the status code
 * @param http10 the server spoke HTTP/1.0 (no keep-alive unless it says so)
 * @param headers case-insensitive names to values in arrival order
 */
record ResponseHead(int status, boolean http10, Map<String, List<String>> headers) {

  /** Whether the connection may carry another request once this reply's body is read. */
  boolean keepAlive() {
    String connection = Http1Connection.tokens(headers, "Connection");
    return http10 ? connection.contains("keep-alive") : !connection.contains("close");
  }
}
