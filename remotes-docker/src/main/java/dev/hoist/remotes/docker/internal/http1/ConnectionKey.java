package dev.hoist.remotes.docker.internal.http1;

import java.net.http.HttpClient;

/**
 * Which connections may carry a request: same client (its TLS settings and connect timeout),
 * same scheme, host and port. The client is compared by identity.
 */
record ConnectionKey(HttpClient client, boolean tls, String host, int port) {

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionKey k
        && k.client == client
        && k.tls == tls
        && k.port == port
        && k.host.equalsIgnoreCase(host);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(client) * 31 + host.toLowerCase(java.util.Locale.ROOT).hashCode() * 7 + port
        + (tls ? 1 : 0);
  }

  @Override
  public String toString() {
    return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
