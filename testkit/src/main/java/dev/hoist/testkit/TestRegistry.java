package dev.hoist.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.internal.AuthConfig;
import dev.hoist.testkit.internal.Checks;
import dev.hoist.testkit.internal.FaultEngine;
import dev.hoist.testkit.internal.Names;
import dev.hoist.testkit.internal.RegistryHandler;
import dev.hoist.testkit.internal.Storage;
import dev.hoist.testkit.internal.TokenService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OCI distribution registry running in this JVM on a loopback port, for tests, demos and fault
 * injection. It serves pulls and pushes of the distribution API ({@code /v2/}, manifests, blobs
 * with ranges, monolithic and chunked uploads, cross-repository mounts, tag lists), with optional
 * Basic or Bearer authentication, scriptable {@linkplain #faults() faults} and a {@linkplain
 * #requestLog() request log}.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start()) {
 *   TestImage image = GeneratedImages.random(ImageSpec.builder().platforms("linux/amd64", "linux/arm64").build());
 *   registry.push("library/app:1.0", image);
 *   String ref = registry.host() + "/library/app:1.0";   // 127.0.0.1:<port>: clients use plain HTTP
 *   ... // pull ref with the code under test
 * }
 * }</pre>
 *
 * <p>The server is the JDK's {@code com.sun.net.httpserver} on a cached pool of daemon threads.
 * Unless already set, the system property {@code sun.net.httpserver.nodelay} is set to {@code true}
 * before the first registry starts, because Nagle's algorithm otherwise adds tens of milliseconds
 * to small keep-alive responses.
 */
public final class TestRegistry implements AutoCloseable {

  static {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Storage storage;
  private final FaultEngine faultEngine = new FaultEngine();
  private final Faults faults = new Faults(faultEngine);
  private final RequestLog requestLog = new RequestLog();
  private final TokenService tokens;
  private final URI url;

  private TestRegistry(Builder b) throws IOException {
    this.storage = new Storage(b.directory);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 128);
    int port = server.getAddress().getPort();
    this.url = URI.create("http://127.0.0.1:" + port);
    AuthConfig auth = new AuthConfig(b.mode, b.username, b.password, b.tokenLifetime, b.clock);
    this.tokens = new TokenService(auth, url + "/token");
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "hoist-testkit-" + port + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/",
        new RegistryHandler(
            storage, faultEngine, tokens, b.mode, b.readOnly, url.toString(), requestLog::add));
    server.start();
  }

  /**
   * Starts a registry with defaults: a free port, content in memory, no authentication.
   *
   * @return the running registry; close it when done
   * @throws UnavailableException when the server cannot start
   */
  public static TestRegistry start() {
    return builder().start();
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the registry's base URL, {@code http://127.0.0.1:<port>}} */
  public URI url() {
    return url;
  }

  /**
   * {@return {@code 127.0.0.1:<port>}: the host part of image references (clients use plain HTTP
   * for loopback)}
   */
  public String host() {
    return url.getAuthority();
  }

  /** {@return the loopback port the registry listens on} */
  public int port() {
    return url.getPort();
  }

  /**
   * {@code host() + "/" + repoAndTag}, a reference a client can pull.
   *
   * @param repoAndTag a repository and tag, e.g. {@code library/app:1.0}
   * @return the full reference, e.g. {@code 127.0.0.1:5000/library/app:1.0}
   */
  public String reference(String repoAndTag) {
    return host() + "/" + repoAndTag;
  }

  /**
   * Stores every blob of {@code image} in repository {@code repo} and tags its root: {@code
   * "library/app:1.0"}, or just {@code "library/app"} to push by digest only. Generated blobs stay
   * generated (no copy). Returns the root descriptor.
   *
   * @param repoAndTag a repository with an optional tag
   * @param image the image to store
   * @return the root descriptor
   * @throws InvalidArgumentException when the repository name or tag is invalid
   */
  public Descriptor push(String repoAndTag, TestImage image) {
    Checks.notNull(image, "image");
    String[] rt = splitRef(repoAndTag);
    for (Descriptor layer : image.layers()) {
      storage.putBlob(rt[0], image.blob(layer));
    }
    for (Descriptor config : image.configs()) {
      storage.putBlob(rt[0], image.blob(config));
    }
    for (Descriptor m : image.manifests()) {
      storage.putManifest(rt[0], null, m.mediaType(), image.blob(m));
    }
    if (image.index() != null) {
      storage.putManifest(rt[0], null, image.index().mediaType(), image.blob(image.index()));
    }
    Descriptor root = image.root();
    storage.putManifest(rt[0], rt[1], root.mediaType(), image.blob(root));
    return root;
  }

  /**
   * Stores one blob in repository {@code repo}, e.g. to test a client's mount or exists checks.
   *
   * @param repo a repository name, e.g. {@code library/app}
   * @param blob the blob to store
   * @throws InvalidArgumentException when the repository name is invalid
   */
  public void pushBlob(String repo, Blob blob) {
    storage.putBlob(checkName(repo), blob);
  }

  /**
   * Whether repository {@code repo} serves blob {@code digest} (after a push or mount).
   *
   * @param repo a repository name
   * @param digest the blob's digest
   * @return whether the repository serves it
   */
  public boolean hasBlob(String repo, Digest digest) {
    return storage.blob(repo, digest) != null;
  }

  /**
   * The blob {@code repo} serves under {@code digest}, if any: to check what a client pushed.
   *
   * @param repo a repository name
   * @param digest the blob's digest
   * @return the blob, or empty when the repository does not serve it
   */
  public Optional<Blob> blob(String repo, Digest digest) {
    return Optional.ofNullable(storage.blob(repo, digest));
  }

  /**
   * The digest tag {@code tag} of {@code repo} points at, if any.
   *
   * @param repo a repository name
   * @param tag a tag
   * @return the manifest digest, or empty when the repository or tag does not exist
   */
  public Optional<Digest> tag(String repo, String tag) {
    Storage.Repo r = storage.repo(repo);
    return r == null ? Optional.empty() : Optional.ofNullable(r.tags().get(tag));
  }

  /** {@return the requests answered so far} */
  public RequestLog requestLog() {
    return requestLog;
  }

  /** {@return the fault rules; add some to make the next requests misbehave} */
  public Faults faults() {
    return faults;
  }

  /**
   * Forgets every issued Bearer access and refresh token: the next request gets a 401 challenge.
   */
  public void invalidateTokens() {
    tokens.invalidateAll();
  }

  /** Stops the server at once, ending stalls; open connections are closed. Idempotent. */
  @Override
  public void close() {
    faultEngine.close();
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "TestRegistry " + url;
  }

  private static String[] splitRef(String repoAndTag) {
    if (repoAndTag == null) {
      throw new InvalidArgumentException("repository reference is null");
    }
    int slash = repoAndTag.lastIndexOf('/');
    int colon = repoAndTag.lastIndexOf(':');
    String name = colon > slash ? repoAndTag.substring(0, colon) : repoAndTag;
    String tag = colon > slash ? repoAndTag.substring(colon + 1) : null;
    checkName(name);
    if (tag != null && !Names.validTag(tag)) {
      throw new InvalidArgumentException("invalid tag \"" + tag + "\" in \"" + repoAndTag + "\"");
    }
    return new String[] {name, tag};
  }

  private static String checkName(String name) {
    if (!Names.validName(name)) {
      throw new InvalidArgumentException(
          "invalid repository name \""
              + name
              + "\": lower-case components separated by /, e.g. library/nginx");
    }
    return name;
  }

  /** Options for a {@link TestRegistry}. Not thread-safe. */
  public static final class Builder {
    private int port;
    private Path directory;
    private AuthConfig.Mode mode = AuthConfig.Mode.NONE;
    private String username;
    private String password;
    private Duration tokenLifetime = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private boolean readOnly;

    private Builder() {}

    /**
     * The loopback port; 0 (the default) picks a free one.
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws InvalidArgumentException when {@code port} is out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new InvalidArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Keeps uploaded blobs in files under {@code dir} instead of the heap (for GiB uploads).
     *
     * @param dir the directory for blob files; the caller removes it
     * @return this builder
     */
    public Builder directory(Path dir) {
      this.directory = Checks.notNull(dir, "dir");
      return this;
    }

    /**
     * Requires HTTP Basic authentication with these credentials on every {@code /v2/} request.
     *
     * @param username the user name accepted
     * @param password the password accepted
     * @return this builder
     */
    public Builder basicAuth(String username, String password) {
      this.mode = AuthConfig.Mode.BASIC;
      this.username = Checks.notNull(username, "username");
      this.password = Checks.notNull(password, "password");
      return this;
    }

    /**
     * Requires Bearer tokens from the embedded endpoint {@code <url>/token}, which hands them to
     * anyone (anonymous pulls and pushes, as with a public repository).
     *
     * @return this builder
     */
    public Builder bearerAuth() {
      this.mode = AuthConfig.Mode.BEARER;
      this.username = null;
      this.password = null;
      return this;
    }

    /**
     * Requires Bearer tokens, which the token endpoint issues only for these credentials.
     *
     * @param username the user name the token endpoint accepts
     * @param password the password the token endpoint accepts
     * @return this builder
     */
    public Builder bearerAuth(String username, String password) {
      this.mode = AuthConfig.Mode.BEARER;
      this.username = Checks.notNull(username, "username");
      this.password = Checks.notNull(password, "password");
      return this;
    }

    /**
     * How long issued tokens are valid (default 5 minutes), reported as {@code expires_in}.
     *
     * @param lifetime positive
     * @return this builder
     * @throws InvalidArgumentException when {@code lifetime} is not positive
     */
    public Builder tokenLifetime(Duration lifetime) {
      if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
        throw new InvalidArgumentException("token lifetime must be positive: " + lifetime);
      }
      this.tokenLifetime = lifetime;
      return this;
    }

    /**
     * The clock that token issue and expiry read (inject one to expire tokens without waiting).
     *
     * @param clock the clock for tokens
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Checks.notNull(clock, "clock");
      return this;
    }

    /**
     * Refuses every write with 403 {@code DENIED} (after authentication).
     *
     * @return this builder
     */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /**
     * Starts the registry.
     *
     * @return the running registry; close it when done
     * @throws UnavailableException when the server cannot start
     */
    public TestRegistry start() {
      try {
        return new TestRegistry(this);
      } catch (IOException e) {
        throw new UnavailableException("cannot start the test registry on 127.0.0.1:" + port, e);
      }
    }
  }
}
