package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.config.TransportOptions;
import dev.hoist.remotes.docker.config.internal.SslContexts;
import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import dev.hoist.remotes.docker.internal.http1.PlainHttpProbe;
import dev.hoist.remotes.docker.internal.http1.PlainHttpReplyException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the {@link Transport} for a request from configuration, never from class names or exception
 * messages: the own HTTP/1.1 transport for {@link TransportOptions} Hoist carries itself (no client
 * of the user's) when the request is HTTP/1.1 anyway ({@code http}, or {@code https} with version
 * {@code HTTP_1_1}); {@code java.net.http} for HTTP/2 over TLS and for a client a user handed in.
 * Keeps one {@link HostClient} per distinct options, so equal options share connections.
 */
public final class Transports implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private final OwnTransport own;
  private final JdkTransport jdk;
  private final SslContexts contexts = new SslContexts();
  private final Map<TransportOptions, HostClient> clients = new ConcurrentHashMap<>();

  /**
   * @param own the own transport, or null to send everything through the clients
   * @param jdk the {@code java.net.http} transport
   */
  public Transports(OwnTransport own, JdkTransport jdk) {
    this.own = own;
    this.jdk = jdk;
  }

  /**
   * The run-time side of {@code options}, made on first use and kept while this lives.
   *
   * @param options a host's transport options
   * @return the one client for these options
   * @throws dev.hoist.errors.InvalidArgumentException when a TLS file is unusable
   */
  public HostClient client(TransportOptions options) {
    HostClient c = clients.get(options);
    if (c != null) {
      return c;
    }
    // Made outside computeIfAbsent: reading TLS files must not hold the map's bin lock.
    HostClient made = HostClient.of(options, contexts);
    HostClient raced = clients.putIfAbsent(options, made);
    return raced == null ? made : raced;
  }

  /**
   * The transport for {@code method uri} over {@code client} at {@code version}.
   *
   * @param client the host's client
   * @param method the request method
   * @param uri the target
   * @param version the HTTP version asked for
   * @return the own transport when it can carry the request, else {@code java.net.http}'s
   */
  public Transport select(HostClient client, String method, URI uri, HttpClient.Version version) {
    return own != null && client.isOwn() && Http1Transport.canCarry(method, uri, version)
        ? own
        : jdk;
  }

  /**
   * Sends {@code r} over the transport {@link #select} picks. For options with the {@linkplain
   * TransportOptions#httpFallback() HTTP fallback}, an {@code https} request whose handshake the
   * server answers in plain HTTP is sent again over {@code http}, and every later one to that
   * {@code host:port} goes over {@code http} at once. Plain HTTP is recognised by type ({@link
   * PlainHttpReplyException} from the own transport) or by asking the port ({@link
   * PlainHttpProbe}), never by an exception's message; a certificate failure never falls back.
   *
   * @param r the request
   * @return the reply head and body
   * @throws IOException when the connection fails or the head does not arrive in time
   */
  public Transport.Response send(Transport.Request r) throws IOException {
    HostClient lazy = r.client();
    if (!lazy.httpFallback() || !"https".equalsIgnoreCase(r.uri().getScheme())) {
      return select(r).send(r);
    }
    String authority = authority(r.uri());
    if (lazy.knownPlain(authority)) {
      return select(r.withUri(toHttp(r.uri()))).send(r.withUri(toHttp(r.uri())));
    }
    try {
      return select(r).send(r);
    } catch (IOException e) {
      if (!answeredInPlainHttp(e, r)) {
        throw e;
      }
      if (lazy.rememberPlain(authority)) {
        log.debug(
            "host={} answered the TLS handshake in plain HTTP; using http from now on", authority);
      }
      Transport.Request http = r.withUri(toHttp(r.uri()));
      return select(http).send(http);
    }
  }

  private Transport select(Transport.Request r) {
    return select(r.client(), r.method(), r.uri(), r.version());
  }

  private static boolean answeredInPlainHttp(IOException e, Transport.Request r) {
    if (e instanceof PlainHttpReplyException) {
      return true;
    }
    boolean tls = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      tls |= t instanceof SSLException;
    }
    int port = r.uri().getPort() != -1 ? r.uri().getPort() : 443;
    return tls
        && !PlainHttpProbe.isCertificateFailure(e)
        && !Thread.currentThread().isInterrupted()
        && PlainHttpProbe.speaksPlainHttp(null, host(r.uri()), port, r.timeout());
  }

  private static String host(URI u) {
    String h = u.getHost();
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static String authority(URI u) {
    return u.getHost() + ":" + (u.getPort() != -1 ? u.getPort() : 443);
  }

  /** The scheme swapped on the raw string, so that escaped path and query stay as they were. */
  private static URI toHttp(URI u) {
    return URI.create("http" + u.toString().substring(u.getScheme().length()));
  }

  @Override
  public void close() {
    if (own != null) {
      own.close();
    }
  }
}
