package dev.hoist.remotes.docker.internal.http1;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;

/**
 * Whether a port that failed a TLS handshake speaks plain HTTP: asked after the handshake failed
 * for another reason than the certificate, so that a registry configured for {@code https} but
 * serving {@code http} gets a precise error, or the HTTP fallback (containerd's {@code
 * NewHTTPFallback}). Go reads the record header it got ({@code tls.RecordHeaderError}); the JDK's
 * exception does not carry the bytes, and its message is no interface, so the port is asked: a
 * {@code HEAD /v2/} carrying nothing but the host name, answered with an HTTP status line or not.
 */
public final class PlainHttpProbe {

  private PlainHttpProbe() {}

  /** Whether {@code e} or a cause is a certificate failure (never a sign of plain HTTP). */
  public static boolean isCertificateFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Asks {@code host:port} in plain HTTP.
   *
   * @param address the address to connect to (null: resolve {@code host})
   * @param timeout bounds the connect and the wait for the answer (at most 2 s)
   */
  public static boolean speaksPlainHttp(
      InetAddress address, String host, int port, Duration timeout) {
    int wait = (int) Math.max(1, Math.min(2000, timeout.toMillis()));
    try (Socket probe = new Socket()) {
      InetSocketAddress to =
          address != null
              ? new InetSocketAddress(address, port)
              : new InetSocketAddress(host, port);
      probe.connect(to, wait);
      probe.setSoTimeout(wait);
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      probe
          .getOutputStream()
          .write(
              ("HEAD /v2/ HTTP/1.1\r\nHost: " + h + ":" + port + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      probe.getOutputStream().flush();
      byte[] start = probe.getInputStream().readNBytes(7);
      return new String(start, StandardCharsets.ISO_8859_1).equals("HTTP/1.");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
