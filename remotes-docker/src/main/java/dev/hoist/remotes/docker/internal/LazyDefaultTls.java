package dev.hoist.remotes.docker.internal;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, initialised on first use rather than when an {@link HttpClient} is
 * built. {@code HttpClient.newBuilder().build()} otherwise loads and parses the whole CA bundle
 * ({@code cacerts}) at once, which costs a cold JVM 0.2–0.9 s on the machines Hoist is measured on,
 * even for a pull from a plain-HTTP registry that never makes a TLS connection.
 */
public final class LazyDefaultTls {

  /** Protocols offered, as the JDK's defaults; the default context's own list is not read early. */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final SSLContext CONTEXT =
      new SSLContext(new Spi(), new LazyProvider(), "Default") {};

  private static volatile boolean initialised;

  private LazyDefaultTls() {}

  /**
   * Gives {@code builder} the lazily initialised default context and explicit parameters (so the
   * client does not ask the context for its defaults while being built). A customizer that runs
   * later may still set its own.
   */
  public static HttpClient.Builder apply(HttpClient.Builder builder) {
    return builder.sslContext(CONTEXT).sslParameters(parameters());
  }

  /** The lazily initialised default context. */
  public static SSLContext context() {
    return CONTEXT;
  }

  /** The parameters given with it: TLS 1.3 and 1.2, the context's default cipher suites. */
  public static SSLParameters parameters() {
    SSLParameters params = new SSLParameters();
    params.setProtocols(PROTOCOLS.clone());
    return params;
  }

  /** Whether the default context has been initialised through this class (for tests). */
  public static boolean initialised() {
    return initialised;
  }

  private static SSLContext real() {
    return Holder.DEFAULT;
  }

  /** Initialised on first access only: the class-holder idiom. */
  private static final class Holder {
    static final SSLContext DEFAULT = load();

    private static SSLContext load() {
      try {
        SSLContext c = SSLContext.getDefault();
        initialised = true;
        return c;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("no default TLS context in this JVM", e);
      }
    }
  }

  private static final class LazyProvider extends Provider {
    private static final long serialVersionUID = 1L;

    LazyProvider() {
      super("HoistLazyDefaultTls", "1", "the JDK's default TLS context, initialised on first use");
    }
  }

  private static final class Spi extends SSLContextSpi {
    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("the default TLS context is already initialised");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
