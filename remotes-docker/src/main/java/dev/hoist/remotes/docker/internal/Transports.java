package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import java.net.URI;
import java.net.http.HttpClient;

/**
 * Picks the {@link Transport} for a request from configuration, never from class names or
 * exception messages: the own HTTP/1.1 transport for a client Hoist configured itself (a plain
 * {@link LazyHttpClient}: TLS options, connect timeout and proxies all known to it) when the
 * request is HTTP/1.1 anyway ({@code http}, or {@code https} with version {@code HTTP_1_1});
 * {@code java.net.http} for HTTP/2 over TLS and for any client a user built or customised.
 */
public final class Transports implements AutoCloseable {

  private final OwnTransport own;
  private final JdkTransport jdk;

  /**
   * @param own the own transport, or null to send everything through the clients
   * @param jdk the {@code java.net.http} transport
   */
  public Transports(OwnTransport own, JdkTransport jdk) {
    this.own = own;
    this.jdk = jdk;
  }

  /** The transport for {@code method uri} over {@code client} at {@code version}. */
  public Transport select(HttpClient client, String method, URI uri, HttpClient.Version version) {
    boolean ours = client instanceof LazyHttpClient lazy && lazy.isPlain();
    return own != null && ours && Http1Transport.canCarry(method, uri, version) ? own : jdk;
  }

  @Override
  public void close() {
    if (own != null) {
      own.close();
    }
  }
}
