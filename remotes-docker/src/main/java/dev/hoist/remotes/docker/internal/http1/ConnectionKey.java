package dev.hoist.remotes.docker.internal.http1;

import dev.hoist.remotes.docker.internal.HostClient;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Which connections may carry a request: same {@link HostClient} (its TLS settings and connect
 * timeout), same scheme, host and port, same proxy (null: direct). The client is compared by
 * identity.
 */
record ConnectionKey(HostClient client, boolean tls, String host, int port, URI proxy) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionKey k
        && k.client == client
        && k.tls == tls
        && k.port == port
        && k.host.equalsIgnoreCase(host)
        && Objects.equals(k.proxy, proxy);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(client) * 31
        + host.toLowerCase(Locale.ROOT).hashCode() * 7
        + port
        + (tls ? 1 : 0)
        + Objects.hashCode(proxy);
  }

  /** The target, never the proxy's credentials. */
  @Override
  public String toString() {
    return (tls ? "https://" : "http://")
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + ":"
        + port;
  }
}
