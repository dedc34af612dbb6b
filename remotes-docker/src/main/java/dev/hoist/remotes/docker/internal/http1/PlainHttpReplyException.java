package dev.hoist.remotes.docker.internal.http1;

import javax.net.ssl.SSLException;

/**
 * A TLS handshake that failed because the server speaks plain HTTP on that port (it answered a
 * probe request with an HTTP status line). Not worth a retry: the registry is configured for {@code
 * http}.
 */
public final class PlainHttpReplyException extends SSLException {

  private static final long serialVersionUID = 1L;

  /**
   * @param authority the {@code host:port} that answered in plain HTTP
   * @param cause the handshake failure
   */
  public PlainHttpReplyException(String authority, Throwable cause) {
    super(
        "the TLS handshake with "
            + authority
            + " was answered in plain HTTP: the registry speaks http;"
            + " use --plain-http, or server = \"http://"
            + authority
            + "\" in its hosts.toml",
        cause);
  }
}
