package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.config.ProxySettings;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProxySettings} for a {@code java.net.http} client: a {@link ProxySelector} and, when the
 * proxy URL carries credentials, an {@link Authenticator} that answers the proxy's challenge only.
 * (The JDK does not send Basic credentials when it opens a tunnel unless the system property {@code
 * jdk.http.auth.tunneling.disabledSchemes} allows it: Hoist's own connections do.)
 */
public final class JdkProxies {

  private JdkProxies() {}

  /** Configures {@code b} for {@code settings}; nothing when no proxy is configured. */
  public static HttpClient.Builder apply(HttpClient.Builder b, ProxySettings settings) {
    if (!settings.isConfigured()) {
      return b;
    }
    b.proxy(selector(settings));
    b.authenticator(
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
              return null; // registry credentials go through the authorizer, never here
            }
            URI target =
                getRequestingURL() == null ? null : URI.create(getRequestingURL().toString());
            Optional<URI> proxy = target == null ? Optional.empty() : settings.proxyFor(target);
            String info = proxy.map(URI::getUserInfo).orElse(null);
            if (info == null) {
              return null;
            }
            int colon = info.indexOf(':');
            String user = colon < 0 ? info : info.substring(0, colon);
            String secret = colon < 0 ? "" : info.substring(colon + 1);
            return new PasswordAuthentication(user, secret.toCharArray());
          }
        });
    return b;
  }

  /** The selector: the proxy {@code settings} give for a URI, else a direct connection. */
  public static ProxySelector selector(ProxySettings settings) {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return settings
            .proxyFor(uri)
            .map(
                p ->
                    List.of(
                        new Proxy(
                            Proxy.Type.HTTP,
                            InetSocketAddress.createUnresolved(
                                p.getHost(), p.getPort() != -1 ? p.getPort() : 80))))
            .orElse(List.of(Proxy.NO_PROXY));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // Nothing to fall back to: the request fails and is retried as any connection error.
      }
    };
  }
}
