package dev.hoist.remotes.docker.config.internal;

import dev.hoist.remotes.docker.Authorizer;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.auth.DockerAuthorizer;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.remotes.docker.config.RegistryEndpoints;
import dev.hoist.remotes.docker.config.TlsOptions;
import dev.hoist.remotes.docker.config.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RegistryHosts} built from {@link HostOptions} (containerd's {@code ConfigureHosts}).
 * Reads the registry's directory on every call, so edits take effect without a restart, while
 * transport options, TLS contexts and authorizers are created once and shared. Thread-safe.
 */
public final class ConfiguredHosts implements RegistryHosts {

  private static final Logger log = LoggerFactory.getLogger(ConfiguredHosts.class);

  private final HostOptions options;
  private final HostTransports transports;
  private final Map<AuthKey, Authorizer> authorizers = new ConcurrentHashMap<>();

  /** The authorizers made here (not the user's): closing them closes their token connections. */
  private final List<DockerAuthorizer> built = new CopyOnWriteArrayList<>();

  private final Set<String> warnedSkipVerify = ConcurrentHashMap.newKeySet();

  public ConfiguredHosts(HostOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.transports =
        new HostTransports(
            options.clientCustomizer(), options.isClientCustomized(), options.proxy());
  }

  /** Closes the connections of the token requests made by the authorizers made here. */
  @Override
  public void close() {
    built.forEach(DockerAuthorizer::close);
  }

  @Override
  public List<RegistryHost> hosts(String registry) throws IOException {
    Objects.requireNonNull(registry, "registry");
    Optional<Path> dir = options.hostDir().apply(registry);
    List<HostConfig> configs;
    RegistryEndpoints inCode = options.endpoints().get(registry);
    if (inCode != null) {
      configs = inCode(inCode);
    } else if (dir.isPresent()) {
      log.debug("registry={} loading host directory {}", registry, dir.get());
      configs = HostDirectoryLoader.load(dir.get());
    } else {
      configs = List.of(HostConfig.unset(TlsOptions.NONE, Map.of()));
    }
    List<RegistryHost> out = new ArrayList<>(configs.size());
    for (HostConfig c : configs) {
      out.add(toRegistryHost(c.isUnset() ? defaults(registry, c) : c));
    }
    return List.copyOf(out);
  }

  /** Endpoints set in code, as a hosts.toml with those mirrors and that server would give. */
  private static List<HostConfig> inCode(RegistryEndpoints endpoints) {
    List<HostConfig> configs = new ArrayList<>();
    HostConfig blank = HostConfig.unset(TlsOptions.NONE, Map.of());
    for (String mirror : endpoints.mirrors()) {
      HostUrls.Endpoint e = HostUrls.parse(mirror, false);
      configs.add(
          blank
              .withEndpoint(e.scheme(), e.host(), e.path())
              .withCapabilities(Set.of(HostCapability.PULL, HostCapability.RESOLVE)));
    }
    if (endpoints.server() == null) {
      configs.add(blank);
    } else {
      HostUrls.Endpoint e = HostUrls.parse(endpoints.server(), false);
      configs.add(blank.withEndpoint(e.scheme(), e.host(), e.path()));
    }
    return configs;
  }

  /** Derives the server entry from the registry name (containerd's defaults, see class doc). */
  HostConfig defaults(String registry, HostConfig c) {
    String scheme;
    String host = registry;
    if (registry.equals("docker.io")) {
      scheme = "https";
      host = "registry-1.docker.io";
    } else if (options.defaultScheme().isPresent()) {
      scheme = options.defaultScheme().get();
    } else if (HostNames.isLocalhost(registry)) {
      // containerd also sets skip_verify for localhost here; Hoist verifies TLS unless told not
      // to, and tries HTTPS first only when TLS is configured (see toRegistryHost).
      String port = HostNames.port(registry);
      scheme = port.isEmpty() || port.equals("443") ? "https" : "http";
    } else {
      scheme = "https";
    }
    return c.withEndpoint(scheme, host, "/v2").withCapabilities(HostConfig.ALL);
  }

  private RegistryHost toRegistryHost(HostConfig c) {
    TlsOptions tls = c.tls().over(options.defaultTls());
    String scheme = c.scheme();
    boolean fallback = false;
    if (scheme.equals("http") && tls.isConfigured() && !HostNames.port(c.host()).equals("80")) {
      // containerd: TLS configured for an http host with an ambiguous port => try https first
      // and fall back to http only when the server answers the handshake in plain HTTP.
      scheme = "https";
      fallback = true;
      log.debug("host={} configured for http with TLS settings: trying https first", c.host());
    }
    if (tls.insecureSkipVerify() && warnedSkipVerify.add(c.host())) {
      log.warn(
          "host={} skip_verify is set: TLS certificates of this host are not verified", c.host());
    }
    Duration timeout = c.dialTimeout().orElse(options.connectTimeout());
    TransportOptions transport = transports.get(tls, options.httpVersion(), timeout, fallback);
    Authorizer authorizer = authorizer(c, transport);
    return new RegistryHost(
        transport, authorizer, scheme, c.host(), c.path(), c.capabilities(), c.headers());
  }

  /** What makes two endpoints need different authorizers (token caches are per authorizer). */
  private record AuthKey(
      String host,
      TransportOptions transport,
      Map<String, List<String>> headers,
      boolean plainHttp) {

    // Written out, here and in hashCode: a record's generated equals and hashCode are linked by
    // method handles on first use, which costs a fresh JVM milliseconds on every fetch.
    @Override
    public boolean equals(Object o) {
      return o instanceof AuthKey k
          && k.host.equals(host)
          && Objects.equals(k.transport, transport)
          && k.headers.equals(headers)
          && k.plainHttp == plainHttp;
    }

    @Override
    public int hashCode() {
      return Objects.hash(host, transport, headers, plainHttp);
    }
  }

  private Authorizer authorizer(HostConfig c, TransportOptions transport) {
    if (options.authorizer().isPresent()) {
      return authorizers.computeIfAbsent(
          new AuthKey(c.host(), null, Map.of(), false),
          k -> {
            Authorizer a = options.authorizer().get().apply(c.host());
            return a == null ? Authorizer.NONE : a;
          });
    }
    // As containerd's ConfigureHosts: token requests go through the endpoint's own transport (its
    // TLS settings) and carry its configured headers (WithAuthHeader).
    boolean plainHttp = c.scheme().equals("http");
    return authorizers.computeIfAbsent(
        new AuthKey(c.host(), transport, c.headers(), plainHttp),
        k -> {
          DockerAuthorizer.Builder b =
              DockerAuthorizer.builder()
                  .credentials(options.credentials())
                  .transport(transport)
                  .headers(c.headers());
          if (plainHttp) {
            // The user configured this endpoint as http: Basic credentials may go to it.
            b.plainHttpHosts(c.host());
          }
          DockerAuthorizer a = b.build();
          built.add(a);
          return a;
        });
  }
}
