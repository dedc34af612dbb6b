package dev.hoist.remotes.docker;

import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TransportOptions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The simple default {@link RegistryHosts}, used when no hosts configuration is given: one host per
 * registry, with every capability, as containerd's {@code ConfigureDefaultRegistries}.
 *
 * <ul>
 *   <li>{@code docker.io} is served by {@code https://registry-1.docker.io/v2};
 *   <li>{@code localhost}, {@code 127.0.0.1} and {@code ::1} on any port but 443 use plain HTTP, as
 *       containerd's {@code MatchLocalhost} does;
 *   <li>every other host uses HTTPS with the JVM's default trust store.
 * </ul>
 *
 * <p>All hosts of one {@code DockerHosts} configuration share one {@link TransportOptions}, so a
 * resolver pools their connections together (redirects are never followed automatically: the
 * fetcher follows them itself so that credentials never leave the registry host).
 */
public final class DockerHosts implements RegistryHosts {

  /** Docker Hub's canonical name in references. */
  public static final String DOCKER_IO = "docker.io";

  /** The host that actually serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_HOST = "registry-1.docker.io";

  private final Function<String, Authorizer> authorizers;
  private final TransportOptions transport;

  private DockerHosts(Builder b) {
    this.authorizers = b.authorizers;
    this.transport = b.transport.build();
  }

  /** {@return default hosts without credentials} */
  public static DockerHosts defaults() {
    return builder().build();
  }

  /** {@return a builder: no authorizers, 10 s connect timeout, HTTP/1.1} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<RegistryHost> hosts(String host) {
    Objects.requireNonNull(host, "host");
    String endpoint = DOCKER_IO.equals(host) ? DOCKER_HUB_HOST : host;
    String scheme = isLoopbackNot443(host) ? "http" : "https";
    Authorizer authorizer = authorizers.apply(endpoint);
    return List.of(
        new RegistryHost(
            transport,
            authorizer,
            scheme,
            endpoint,
            "/v2",
            EnumSet.allOf(HostCapability.class),
            Map.of()));
  }

  /** {@return the transport options every host of this configuration shares} */
  public TransportOptions transport() {
    return transport;
  }

  /**
   * True for {@code localhost}, {@code 127.0.0.1} and {@code ::1} (bracketed or not) with any port
   * but 443, or none.
   */
  static boolean isLoopbackNot443(String hostPort) {
    String h = hostPort;
    String port = "";
    if (h.equals("::1")) {
      return true;
    }
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return false;
      }
      port = h.substring(close + 1);
      h = h.substring(1, close);
      port = port.startsWith(":") ? port.substring(1) : port;
    } else {
      int colon = h.lastIndexOf(':');
      if (colon >= 0) {
        port = h.substring(colon + 1);
        h = h.substring(0, colon);
      }
    }
    boolean loopback = h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1");
    return loopback && !port.equals("443");
  }

  /** Builds {@link DockerHosts}. */
  public static final class Builder {
    private Function<String, Authorizer> authorizers = h -> Authorizer.NONE;
    private final TransportOptions.Builder transport = TransportOptions.builder();

    private Builder() {}

    /**
     * The HTTP proxies (ignored with {@link #client}); default none.
     *
     * @param proxy e.g. {@link ProxySettings#fromEnvironment(java.util.Map)}
     * @return this builder
     */
    public Builder proxy(ProxySettings proxy) {
      transport.proxy(proxy);
      return this;
    }

    /**
     * The authorizer for each endpoint host (e.g. {@code registry-1.docker.io}); default none.
     *
     * @param perHost maps an endpoint host to its authorizer
     * @return this builder
     */
    public Builder authorizer(Function<String, Authorizer> perHost) {
      this.authorizers = Objects.requireNonNull(perHost, "authorizer");
      return this;
    }

    /**
     * How long connecting to a host may take; default 10 s.
     *
     * @param d positive
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      transport.connectTimeout(d);
      return this;
    }

    /**
     * The preferred HTTP version; default HTTP/1.1 (see {@link
     * DockerResolver.Builder#httpVersion}).
     *
     * @param v {@code HTTP_1_1} or {@code HTTP_2}
     * @return this builder
     */
    public Builder httpVersion(HttpClient.Version v) {
      transport.httpVersion(v);
      return this;
    }

    /**
     * Sends every request through {@code client} ({@link TransportOptions#jdk(HttpClient)}); it
     * should not follow redirects itself. Overrides {@link #connectTimeout}, {@link #proxy} and
     * {@link #httpVersion}.
     *
     * @param client the client every host uses
     * @return this builder
     */
    public Builder client(HttpClient client) {
      transport.client(client);
      return this;
    }

    /** {@return the hosts configuration} */
    public DockerHosts build() {
      return new DockerHosts(this);
    }
  }
}
