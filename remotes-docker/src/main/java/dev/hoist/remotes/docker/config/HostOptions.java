package dev.hoist.remotes.docker.config;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.config.internal.HostDirectories;
import dev.hoist.remotes.docker.internal.Durations;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How {@link ConfigureHosts} builds the endpoints of a registry, as containerd's {@code
 * config.HostOptions}. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * RegistryHosts hosts = ConfigureHosts.from(HostOptions.builder()
 *     .hostsDir(Path.of("/etc/containerd/certs.d"))   // <host>/hosts.toml, *.crt, *.cert + *.key
 *     .credentials(DockerConfigCredentials.load())     // or .authorizer(host -> ...)
 *     .build());
 * }</pre>
 */
public final class HostOptions {

  /** containerd's dial timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Function<String, Optional<Path>> hostDir;
  private final Function<String, Authorizer> authorizer;
  private final CredentialsProvider credentials;
  private final TlsOptions defaultTls;
  private final String defaultScheme;
  private static final Consumer<HttpClient.Builder> NO_CUSTOMIZER = b -> {};

  private final Consumer<HttpClient.Builder> clientCustomizer;
  private final Duration connectTimeout;
  private final HttpClient.Version httpVersion;
  private final ProxySettings proxy;
  private final Map<String, RegistryEndpoints> endpoints;

  private HostOptions(Builder b) {
    this.hostDir = b.hostDir;
    this.authorizer = b.authorizer;
    this.credentials = b.credentials;
    this.defaultTls = b.defaultTls;
    this.defaultScheme = b.defaultScheme;
    this.clientCustomizer = b.clientCustomizer;
    this.connectTimeout = b.connectTimeout;
    this.httpVersion = b.httpVersion;
    this.proxy = b.proxy;
    Map<String, RegistryEndpoints> e = new LinkedHashMap<>();
    Set<String> registries = new LinkedHashSet<>(b.mirrors.keySet());
    registries.addAll(b.servers.keySet());
    for (String r : registries) {
      e.put(r, new RegistryEndpoints(b.mirrors.getOrDefault(r, List.of()), b.servers.get(r)));
    }
    this.endpoints = Map.copyOf(e);
  }

  /**
   * {@return the endpoints set in code ({@link Builder#mirror}, {@link Builder#server}) by
   * registry}
   */
  public Map<String, RegistryEndpoints> endpoints() {
    return endpoints;
  }

  /** {@return the HTTP proxies requests take; {@link ProxySettings#NONE} by default} */
  public ProxySettings proxy() {
    return proxy;
  }

  /** {@return a builder with containerd's defaults: no hosts directory, no credentials} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the function from a registry host ({@code host[:port]}) to its configuration
   * directory, if any}
   */
  public Function<String, Optional<Path>> hostDir() {
    return hostDir;
  }

  /**
   * Maps an endpoint host ({@code host[:port]}) to its authorizer, when one was set with {@link
   * Builder#authorizer}; otherwise each endpoint gets a {@code DockerAuthorizer} with {@link
   * #credentials()}.
   *
   * @return the authorizer function, or empty to use {@link #credentials()}
   */
  public Optional<Function<String, Authorizer>> authorizer() {
    return Optional.ofNullable(authorizer);
  }

  /**
   * {@return where the default authorizers find credentials (default: none, anonymous tokens only)}
   */
  public CredentialsProvider credentials() {
    return credentials;
  }

  /** {@return the TLS settings every host starts from} */
  public TlsOptions defaultTls() {
    return defaultTls;
  }

  /** {@return the scheme of a registry without configuration; empty means containerd's rule} */
  public Optional<String> defaultScheme() {
    return Optional.ofNullable(defaultScheme);
  }

  /**
   * {@return the hook called on every {@code HttpClient.Builder} before it builds (proxy, executor,
   * ...)}
   */
  public Consumer<HttpClient.Builder> clientCustomizer() {
    return clientCustomizer;
  }

  /** {@return whether {@link Builder#clientCustomizer} was set} */
  public boolean isClientCustomized() {
    return clientCustomizer != NO_CUSTOMIZER;
  }

  /** {@return the connect timeout for hosts without {@code dial_timeout}} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * {@return the HTTP version asked of every client; empty means the JDK default (HTTP/2, falling
   * back)}
   */
  public Optional<HttpClient.Version> httpVersion() {
    return Optional.ofNullable(httpVersion);
  }

  /** Builds {@link HostOptions}. Setting an option twice throws {@link IllegalStateException}. */
  public static final class Builder {
    private Function<String, Optional<Path>> hostDir = host -> Optional.empty();
    private boolean hostDirSet;
    private Function<String, Authorizer> authorizer;
    private CredentialsProvider credentials = CredentialsProvider.none();
    private boolean credentialsSet;
    private TlsOptions defaultTls = TlsOptions.NONE;
    private String defaultScheme;
    private Consumer<HttpClient.Builder> clientCustomizer = NO_CUSTOMIZER;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private HttpClient.Version httpVersion;
    private ProxySettings proxy = ProxySettings.NONE;
    private final Map<String, List<String>> mirrors = new LinkedHashMap<>();
    private final Map<String, String> servers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Reads each registry's configuration from {@code root}: for {@code host:port} the first of
     * {@code root/host_port_}, {@code root/host:port} and {@code root/_default} that exists, as
     * containerd's {@code HostDirFromRoot}.
     *
     * @param root the directory holding one directory per registry
     * @return this builder
     * @throws IllegalStateException when a hosts directory was already set
     */
    public Builder hostsDir(Path root) {
      Objects.requireNonNull(root, "root");
      return hostDirFunction(HostDirectories.fromRoot(root));
    }

    /**
     * Sets the function from a registry host to its configuration directory.
     *
     * @param function maps a registry host to its directory, or empty for none
     * @return this builder
     * @throws IllegalStateException when a hosts directory was already set
     */
    public Builder hostDirFunction(Function<String, Optional<Path>> function) {
      if (hostDirSet) {
        throw new IllegalStateException("hosts directory already set");
      }
      hostDir = Objects.requireNonNull(function, "function");
      hostDirSet = true;
      return this;
    }

    /**
     * Sets the credentials of the default authorizers. Each endpoint then gets a {@code
     * DockerAuthorizer} (Basic and Bearer token auth, as containerd's) whose token requests use
     * that endpoint's transport options (its TLS settings and proxies) and carry its configured
     * headers.
     *
     * @param provider where the default authorizers find credentials
     * @return this builder
     * @throws IllegalStateException when credentials or an authorizer function were already set
     */
    public Builder credentials(CredentialsProvider provider) {
      if (credentialsSet || authorizer != null) {
        throw new IllegalStateException("credentials or authorizer already set");
      }
      credentials = Objects.requireNonNull(provider, "provider");
      credentialsSet = true;
      return this;
    }

    /**
     * Replaces the default authorizers: {@code function} maps each endpoint host ({@code
     * host[:port]}, a mirror's own host for a mirror) to its authorizer. Called once per endpoint
     * host; the result is kept and shared.
     *
     * @param function maps an endpoint host to its authorizer
     * @return this builder
     * @throws IllegalStateException when credentials or an authorizer function were already set
     */
    public Builder authorizer(Function<String, Authorizer> function) {
      if (credentialsSet || authorizer != null) {
        throw new IllegalStateException("credentials or authorizer already set");
      }
      authorizer = Objects.requireNonNull(function, "function");
      return this;
    }

    /**
     * Sets TLS settings every host starts from (a host's own settings are layered on top).
     *
     * @param tls the base TLS settings
     * @return this builder
     */
    public Builder defaultTls(TlsOptions tls) {
      defaultTls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Sets the scheme ({@code http} or {@code https}) of registries without configuration.
     *
     * @param scheme {@code http} or {@code https}, in any case
     * @return this builder
     * @throws IllegalArgumentException when {@code scheme} is neither
     */
    public Builder defaultScheme(String scheme) {
      Objects.requireNonNull(scheme, "scheme");
      String s = scheme.toLowerCase(Locale.ROOT);
      if (!s.equals("http") && !s.equals("https")) {
        throw new InvalidArgumentException("scheme must be http or https, got \"" + scheme + "\"");
      }
      defaultScheme = s;
      return this;
    }

    /**
     * Sets a hook run on every {@code HttpClient.Builder} after Hoist's settings.
     *
     * @param customizer called with each builder
     * @return this builder
     */
    public Builder clientCustomizer(Consumer<HttpClient.Builder> customizer) {
      clientCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /**
     * Sets the connect timeout of hosts without their own {@code dial_timeout}.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public Builder connectTimeout(Duration timeout) {
      connectTimeout = Durations.positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the HTTP version. HTTP/1.1 opens one connection per concurrent download; HTTP/2
     * multiplexes them over one connection per host.
     *
     * @param version {@code HTTP_1_1} or {@code HTTP_2}
     * @return this builder
     */
    public Builder httpVersion(HttpClient.Version version) {
      httpVersion = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Sets the HTTP proxies, e.g. {@link ProxySettings#fromEnvironment(java.util.Map)}: used by
     * Hoist's own connections ({@code CONNECT} tunnels for {@code https}) and by the {@code
     * java.net.http} clients alike, registry and token requests both.
     *
     * @param proxy the proxies; {@link ProxySettings#NONE} for direct connections
     * @return this builder
     */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = Objects.requireNonNull(proxy, "proxy");
      return this;
    }

    /**
     * Adds a mirror of {@code registry} in code, as {@code [host."<url>"]} with {@code capabilities
     * = ["pull", "resolve"]} in its {@code hosts.toml} would (Jib's {@code addRegistryMirrors}):
     * mirrors are tried in the order added, then the server. A registry configured here ignores the
     * hosts directory.
     *
     * @param registry the registry as references name it, e.g. {@code docker.io}
     * @param url the mirror, e.g. {@code https://mirror.internal} (path {@code /v2} implied)
     * @return this builder
     * @throws dev.hoist.errors.InvalidArgumentException when {@code url} is malformed
     */
    public Builder mirror(String registry, String url) {
      checkUrl(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(url, "url"));
      mirrors.computeIfAbsent(registry, r -> new ArrayList<>()).add(url);
      return this;
    }

    /**
     * Sets {@code registry}'s server in code, as {@code server = "<url>"} in its {@code hosts.toml}
     * would: tried after its mirrors, for every operation. Without it the registry's default
     * applies ({@code registry-1.docker.io} for {@code docker.io}).
     *
     * @param registry the registry as references name it
     * @param url the server, e.g. {@code https://registry.internal:5000}
     * @return this builder
     * @throws dev.hoist.errors.InvalidArgumentException when {@code url} is malformed
     */
    public Builder server(String registry, String url) {
      checkUrl(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(url, "url"));
      servers.put(registry, url);
      return this;
    }

    private static void checkUrl(String registry, String url) {
      try {
        dev.hoist.remotes.docker.config.internal.HostUrls.parse(url, false);
      } catch (IllegalArgumentException e) {
        throw new dev.hoist.errors.InvalidArgumentException(
            "endpoint for registry " + registry + ": " + e.getMessage(), e);
      }
    }

    /** {@return the options} */
    public HostOptions build() {
      return new HostOptions(this);
    }
  }
}
