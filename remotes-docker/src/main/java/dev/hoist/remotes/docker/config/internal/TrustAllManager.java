package dev.hoist.remotes.docker.config.internal;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every server certificate, for hosts configured with {@code skip_verify = true}. Being an
 * {@link X509ExtendedTrustManager}, it also replaces the JDK's host name check (which lives in the
 * trust manager), as Go's {@code InsecureSkipVerify} does.
 */
final class TrustAllManager extends X509ExtendedTrustManager {

  static final TrustAllManager INSTANCE = new TrustAllManager();

  private TrustAllManager() {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
