package dev.hoist.remotes.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one seam between the registry protocol and HTTP: a request in, a reply head and a body stream
 * out. Two implementations pass the same contract suite: {@link OwnTransport} (Hoist's HTTP/1.1
 * connections, the default and the fast one) and {@link JdkTransport} ({@code java.net.http}, for
 * HTTP/2 and for clients a user hands in). {@link Transports} picks one by configuration.
 *
 * <p>Contract: the reply head arrives within {@code timeout} (interim replies and slow bytes
 * included) or the call fails with {@link java.net.http.HttpTimeoutException}; each read of the
 * body may block at most {@code timeout}, then fails with {@link
 * dev.hoist.errors.UnavailableException}; interrupting the calling thread, or closing the body from
 * another thread, ends a blocked call or read ({@link java.io.InterruptedIOException} on
 * interrupt); the caller reads the body to its end or closes it.
 */
public interface Transport {

  /**
   * One request.
   *
   * @param client the host's transport settings at run time: TLS, connect timeout and proxies apply
   * @param method {@code GET}, {@code HEAD} (or {@code POST} with a body, token requests)
   * @param uri the target
   * @param version the HTTP version asked for (the own transport speaks HTTP/1.1 only)
   * @param headers request headers in order
   * @param timeout the head deadline and the body idle timeout
   */
  record Request(
      HostClient client,
      String method,
      URI uri,
      HttpClient.Version version,
      List<Map.Entry<String, String>> headers,
      Duration timeout) {

    /** Requires every part; copies the headers. */
    public Request {
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(version, "version");
      headers = List.copyOf(headers);
      Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The same request to {@code other}.
     *
     * @param other the other target
     * @return a copy aimed at {@code other}
     */
    public Request withUri(URI other) {
      return new Request(client, method, other, version, headers, timeout);
    }
  }

  /**
   * A reply head and its body.
   *
   * @param status the final status (interim replies are skipped)
   * @param headers the reply headers
   * @param body the body; read it to the end or close it
   */
  record Response(int status, HttpHeaders headers, InputStream body) {}

  /**
   * Sends {@code request} and returns once the reply head is in.
   *
   * @throws IOException when the connection fails or the head does not arrive in time
   * @throws IllegalArgumentException for a header that would break the request
   */
  Response send(Request request) throws IOException;
}
