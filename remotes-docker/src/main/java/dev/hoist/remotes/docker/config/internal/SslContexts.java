package dev.hoist.remotes.docker.config.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.config.ClientCertificate;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds one {@link SSLContext} per distinct {@link TlsOptions} and keeps it (containerd's {@code
 * tlsConfigFromHost}): trust = the JDK's default trust store plus the configured CA files; key
 * material = the configured client certificates. Thread-safe.
 */
public final class SslContexts {

  /** Protects only the in-memory key store; PKCS12 handles a non-empty password best. */
  private static final char[] STORE_PASSWORD = "hoist".toCharArray();

  private final Map<TlsOptions, SSLContext> cache = new ConcurrentHashMap<>();

  /**
   * Returns the context for {@code tls}, building it on first use.
   *
   * @throws InvalidArgumentException when a CA or client file is unreadable, malformed, encrypted,
   *     or a certificate has no matching key
   */
  public SSLContext get(TlsOptions tls) {
    SSLContext cached = cache.get(tls);
    if (cached != null) {
      return cached;
    }
    // Built outside computeIfAbsent: reading files must not hold the map's bin lock, and a
    // failure must not be cached.
    SSLContext built = build(tls);
    SSLContext raced = cache.putIfAbsent(tls, built);
    return raced == null ? built : raced;
  }

  static SSLContext build(TlsOptions tls) {
    try {
      // CA files are read even under skip_verify (as containerd does), so a broken one is reported.
      TrustManager[] trust = trustManagers(tls.caCertificates());
      if (tls.insecureSkipVerify()) {
        trust = new TrustManager[] {TrustAllManager.INSTANCE};
      }
      KeyManager[] keys = keyManagers(tls.clientCertificates());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** System trust plus {@code caFiles}; null (the JDK default) when there are none. */
  private static TrustManager[] trustManagers(List<Path> caFiles)
      throws GeneralSecurityException, IOException {
    if (caFiles.isEmpty()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (X509Certificate system : systemTrust().getAcceptedIssuers()) {
      store.setCertificateEntry("system-" + n++, system);
    }
    for (Path f : caFiles) {
      for (X509Certificate ca : PemFiles.certificates(f, "CA certificate")) {
        store.setCertificateEntry("ca-" + n++, ca);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf.getTrustManagers();
  }

  private static X509TrustManager systemTrust() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    return Arrays.stream(tmf.getTrustManagers())
        .filter(X509TrustManager.class::isInstance)
        .map(X509TrustManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new GeneralSecurityException("no default X509 trust manager"));
  }

  private static KeyManager[] keyManagers(List<ClientCertificate> clients)
      throws GeneralSecurityException, IOException {
    if (clients.isEmpty()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    for (ClientCertificate c : clients) {
      List<X509Certificate> chain =
          PemFiles.read(c.certificate(), "client certificate").certificates();
      if (chain.isEmpty()) {
        throw new InvalidArgumentException(
            "client certificate " + c.certificate() + ": no PEM certificate found");
      }
      List<PrivateKey> keys = PemFiles.read(c.keyFile(), "client key").keys();
      if (keys.isEmpty()) {
        throw new InvalidArgumentException(
            "client key "
                + c.keyFile()
                + ": no PEM private key found"
                + (c.key() == null
                    ? " (give the key file as the second element of a client pair)"
                    : ""));
      }
      PrivateKey key = keys.get(0);
      if (!matches(chain.get(0).getPublicKey(), key)) {
        throw new InvalidArgumentException(
            "client key " + c.keyFile() + ": does not match the certificate in " + c.certificate());
      }
      store.setKeyEntry(
          "client-" + n++, key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, STORE_PASSWORD);
    return kmf.getKeyManagers();
  }

  /** Cheap pair check so a mismatched key fails here, not as an opaque handshake failure. */
  private static boolean matches(PublicKey pub, PrivateKey key) {
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    if (pub instanceof java.security.interfaces.RSAPublicKey
        && key instanceof java.security.interfaces.RSAPrivateKey) {
      return ((java.security.interfaces.RSAPublicKey) pub)
          .getModulus()
          .equals(((java.security.interfaces.RSAPrivateKey) key).getModulus());
    }
    return true;
  }
}
