package dev.hoist.remotes.docker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs Docker's distribution registry ({@code /usr/bin/docker-registry},
 * Debian package {@code docker-registry}) on {@code 127.0.0.1:<free port>} with a temporary storage
 * directory, and stops it afterwards through its process handle.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DistributionRegistry registry = DistributionRegistry.builder().build();
 *
 * @Test
 * void fetches() {
 *   RegistryPusher.to(registry).push("test/app", "v1", image);
 *   resolver.resolve(registry.hostPort() + "/test/app:v1");
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the registry lives for the test class; in an instance field, for
 * each test. Modes combine through the builder: {@link Builder#htpasswd}, {@link
 * Builder#tokenAuth}, {@link Builder#tls}, and {@link Builder#extraConfig} for anything else.
 *
 * <p>When the binary is missing, tests are skipped with a reason naming it, unless the system
 * property {@code hoist.requireRegistry} is {@code 1} or {@code true} (CI sets it through {@code
 * HOIST_REQUIRE_REGISTRY=1}): then they fail with the command that installs it.
 */
public final class DistributionRegistry
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AutoCloseable {

  /** Where Debian's package installs the registry. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Builder options;
  private Path workDir;
  private Path storage;
  private Path configFile;
  private Path logFile;
  private int port;
  private Process process;
  private boolean perTest;

  private DistributionRegistry(Builder options) {
    this.options = options;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, the host part of references to this registry. */
  public String hostPort() {
    requireStarted();
    return "127.0.0.1:" + port;
  }

  public int port() {
    requireStarted();
    return port;
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://…} when TLS is configured. */
  public URI baseUri() {
    return URI.create((options.tlsCert != null ? "https" : "http") + "://" + hostPort());
  }

  /** The registry's storage directory. */
  public Path storage() {
    requireStarted();
    return storage;
  }

  /** The configuration file the registry was started with. */
  public Path configFile() {
    requireStarted();
    return configFile;
  }

  /** The registry's combined stdout and stderr so far (for failure messages). */
  public String log() {
    try {
      return logFile == null || !Files.exists(logFile)
          ? ""
          : Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (process == null) {
      perTest = true;
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }

  /**
   * Starts the registry and waits until it accepts connections (and, without TLS, answers {@code
   * GET /v2/}). Skips or fails the calling test when the binary is missing.
   */
  public synchronized void start() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    requireBinary(options.binary);
    workDir = Files.createTempDirectory("hoist-registry");
    storage = Files.createDirectories(workDir.resolve("storage"));
    configFile = workDir.resolve("config.yml");
    logFile = workDir.resolve("registry.log");
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      port = freePort();
      Files.writeString(configFile, config(), StandardCharsets.UTF_8);
      process =
          new ProcessBuilder(options.binary.toString(), "serve", configFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      try {
        awaitReady();
        return;
      } catch (IOException e) {
        last = e; // most likely the port was taken between probing and binding: try another
        stopProcess();
      }
    }
    throw new IOException("docker-registry did not start; log:\n" + log(), last);
  }

  /** Stops the registry and deletes its storage. */
  @Override
  public synchronized void close() {
    stopProcess();
    if (workDir != null) {
      deleteRecursively(workDir);
      workDir = null;
    }
  }

  private void stopProcess() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The configuration YAML for the chosen options. */
  String config() {
    return configFor(storage, port);
  }

  /** The configuration YAML for the chosen options, storing in {@code storage}, on {@code port}. */
  String configFor(Path storage, int port) {
    StringBuilder y = new StringBuilder();
    y.append("version: 0.1\n");
    y.append("log:\n  level: info\n  accesslog:\n    disabled: false\n");
    y.append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(quote(storage.toString()))
        .append('\n');
    y.append("  delete:\n    enabled: true\n");
    y.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    y.append("  secret: hoist-test-secret\n");
    if (options.tlsCert != null) {
      y.append("  tls:\n    certificate: ").append(quote(options.tlsCert.toString())).append('\n');
      y.append("    key: ").append(quote(options.tlsKey.toString())).append('\n');
      if (options.clientCa != null) {
        y.append("    clientcas:\n      - ")
            .append(quote(options.clientCa.toString()))
            .append('\n');
      }
    }
    if (options.htpasswd != null) {
      y.append("auth:\n  htpasswd:\n    realm: hoist-test\n    path: ")
          .append(quote(options.htpasswd.toString()))
          .append('\n');
    } else if (options.tokenRealm != null) {
      y.append("auth:\n  token:\n");
      y.append("    realm: ").append(quote(options.tokenRealm)).append('\n');
      y.append("    service: ").append(quote(options.tokenService)).append('\n');
      y.append("    issuer: ").append(quote(options.tokenIssuer)).append('\n');
      y.append("    rootcertbundle: ")
          .append(quote(options.tokenRootCertBundle.toString()))
          .append('\n');
    }
    for (String extra : options.extra) {
      y.append(extra.endsWith("\n") ? extra : extra + "\n");
    }
    return y.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    boolean listening = false;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited with status " + process.exitValue());
      }
      if (!listening) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 500);
          listening = true;
        } catch (IOException e) {
          // not yet listening
        }
      }
      if (listening) {
        if (options.tlsCert != null) {
          return; // probing over TLS would need the test's trust store; listening is enough
        }
        try {
          HttpResponse<Void> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200 || r.statusCode() == 401) {
            return;
          }
        } catch (IOException e) {
          // not answering yet
        }
      }
      // Polling a child process's port: there is no event to wait on.
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new IOException(
        "docker-registry did not answer on port " + port + " within " + START_TIMEOUT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Skips (or, when {@code hoist.requireRegistry} is set, fails) if the binary is missing. */
  static void requireBinary(Path binary) {
    if (Files.isExecutable(binary)) {
      return;
    }
    String message =
        "Docker's distribution registry is not installed at "
            + binary
            + ": install it with `apt-get install docker-registry` (Debian/Ubuntu)";
    String required = System.getProperty("hoist.requireRegistry", "");
    if (required.equals("1") || required.equalsIgnoreCase("true")) {
      fail(message + " (required because hoist.requireRegistry=" + required + ")");
    }
    Assumptions.abort(message);
  }

  private void requireStarted() {
    if (process == null) {
      throw new IllegalStateException("the registry is not running");
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = new ArrayList<>();
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Options of a {@link DistributionRegistry}. */
  public static final class Builder {
    private Path binary =
        Path.of(System.getProperty("hoist.registryBinary", DEFAULT_BINARY.toString()));
    private Path htpasswd;
    private String tokenRealm;
    private String tokenService;
    private String tokenIssuer;
    private Path tokenRootCertBundle;
    private Path tlsCert;
    private Path tlsKey;
    private Path clientCa;
    private final List<String> extra = new ArrayList<>();

    private Builder() {}

    /**
     * Another registry binary (default {@code /usr/bin/docker-registry}, or {@code
     * hoist.registryBinary}).
     */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** Basic auth from an htpasswd file (bcrypt entries, e.g. from {@code htpasswd -B}). */
    public Builder htpasswd(Path file) {
      this.htpasswd = Objects.requireNonNull(file, "htpasswd");
      return this;
    }

    /**
     * Token auth: the registry sends {@code Bearer realm=…,service=…} challenges and accepts JWTs
     * signed by a certificate in {@code rootCertBundle} with the given issuer and audience.
     */
    public Builder tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
      this.tokenRealm = Objects.requireNonNull(realm, "realm");
      this.tokenService = Objects.requireNonNull(service, "service");
      this.tokenIssuer = Objects.requireNonNull(issuer, "issuer");
      this.tokenRootCertBundle = Objects.requireNonNull(rootCertBundle, "rootCertBundle");
      return this;
    }

    /**
     * Serves HTTPS with this certificate and key (PEM files); {@code clientCaPem} (nullable) makes
     * the registry ask for client certificates signed by it.
     */
    public Builder tls(Path certPem, Path keyPem, Path clientCaPem) {
      this.tlsCert = Objects.requireNonNull(certPem, "certPem");
      this.tlsKey = Objects.requireNonNull(keyPem, "keyPem");
      this.clientCa = clientCaPem;
      return this;
    }

    /**
     * Top-level YAML appended to the generated configuration, for options this builder does not
     * model (e.g. {@code notifications:} or {@code proxy:}). Must not repeat a top-level key the
     * builder writes ({@code version}, {@code log}, {@code storage}, {@code http}, {@code auth}).
     */
    public Builder extraConfig(String yaml) {
      this.extra.add(Objects.requireNonNull(yaml, "yaml"));
      return this;
    }

    public DistributionRegistry build() {
      if (htpasswd != null && tokenRealm != null) {
        throw new IllegalStateException("choose htpasswd or token auth, not both");
      }
      return new DistributionRegistry(this);
    }
  }
}
