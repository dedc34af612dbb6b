package dev.hoist.remotes.docker.auth;

import dev.hoist.errors.UnavailableException;
import dev.hoist.remotes.docker.auth.internal.CredentialHelper;
import dev.hoist.remotes.docker.auth.internal.DockerConfigFile;
import dev.hoist.remotes.docker.auth.internal.HostNames;
import dev.hoist.remotes.docker.internal.Durations;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials from Docker's {@code config.json}, as {@code docker login} leaves them: {@code
 * $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
 *
 * <p>For a host, the first of these wins: its {@code credHelpers} entry, the {@code credsStore}
 * helper, then its {@code auths} entry ({@code identitytoken}, {@code auth} = base64 of {@code
 * user:password}, or {@code username}/{@code password}). Helpers run as {@code
 * docker-credential-<name> get} with the server on stdin and a timeout. Docker Hub's entries live
 * under {@code https://index.docker.io/v1/}; other keys may carry a scheme or path, which is
 * ignored. The file is read on every lookup so a later {@code docker login} is seen; a missing file
 * means no credentials, a malformed one is an {@link dev.hoist.errors.InvalidArgumentException}
 * naming the file. A configured helper that is not installed is logged once as a warning and
 * skipped (Docker would fail instead), since configs copied from Docker Desktop often name one.
 */
public final class DockerConfigCredentials implements CredentialsProvider {

  private static final Logger LOG = LoggerFactory.getLogger(DockerConfigCredentials.class);

  private final Path configFile;
  private final List<Path> helperDirectories;
  private final Duration helperTimeout;
  private final Set<String> missingHelpersWarned = ConcurrentHashMap.newKeySet();

  private DockerConfigCredentials(Builder b) {
    Map<String, String> env = b.environment;
    this.configFile = b.configFile != null ? b.configFile : defaultConfigFile(env);
    this.helperDirectories =
        b.helperDirectories != null ? List.copyOf(b.helperDirectories) : pathDirectories(env);
    this.helperTimeout = b.helperTimeout;
  }

  /**
   * Docker's configuration from the process environment.
   *
   * @return the provider; {@code config.json} is read on each lookup
   */
  public static DockerConfigCredentials load() {
    return builder().build();
  }

  /** {@return a builder, defaulting to the process environment} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the {@code config.json} this provider reads} */
  public Path configFile() {
    return configFile;
  }

  @Override
  public Optional<Credentials> credentials(String host) {
    String key = HostNames.canonical(host);
    DockerConfigFile config;
    try {
      config = DockerConfigFile.read(configFile);
    } catch (IOException e) {
      throw new UnavailableException("cannot read docker config " + configFile + ": " + e, e);
    }
    String serverUrl = key.equals("docker.io") ? HostNames.DOCKER_HUB_KEY : key;
    Optional<String> helper = config.helperFor(key);
    String helperName = helper.orElse(config.credsStore());
    if (helperName != null) {
      String origin = configFile + (helper.isPresent() ? " credHelpers for " + key : " credsStore");
      Optional<CredentialHelper> h =
          CredentialHelper.find(helperName, helperDirectories, helperTimeout, origin);
      if (h.isEmpty()) {
        // As a copied config.json naming Docker Desktop's helper is common on CI machines, a
        // missing helper is a warning (once) and the pull goes on with the file's auths or none.
        if (missingHelpersWarned.add(helperName)) {
          LOG.warn(
              "credential helper docker-credential-{} (configured in {}) is not on {}; ignoring it",
              helperName,
              origin,
              helperDirectories);
        }
      }
      Optional<Credentials> c = h.isPresent() ? h.get().get(serverUrl) : Optional.empty();
      if (c.isPresent()) {
        LOG.debug("credentials for {} from docker-credential-{}", key, helperName);
        return c;
      }
    }
    Optional<Credentials> c = config.authFor(key);
    if (c.isPresent()) {
      LOG.debug("credentials for {} from {}", key, configFile);
    }
    return c;
  }

  @Override
  public String toString() {
    return "DockerConfigCredentials[" + configFile + "]";
  }

  private static Path defaultConfigFile(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir, "config.json");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".docker", "config.json");
  }

  private static List<Path> pathDirectories(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    List<Path> dirs = new ArrayList<>();
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty()) {
        dirs.add(Path.of(d));
      }
    }
    return dirs;
  }

  /** Options for {@link DockerConfigCredentials}. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Path configFile;
    private List<Path> helperDirectories;
    private Duration helperTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * The environment consulted for {@code DOCKER_CONFIG}, {@code HOME} and {@code PATH} (default:
     * the process environment).
     *
     * @param environment variable names to values
     * @return this builder
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /**
     * Reads this file instead of the one the environment points to.
     *
     * @param configFile the {@code config.json} to read
     * @return this builder
     */
    public Builder configFile(Path configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      return this;
    }

    /**
     * Directories searched for {@code docker-credential-*} helpers (default: {@code PATH}).
     *
     * @param directories searched in order
     * @return this builder
     */
    public Builder helperDirectories(List<Path> directories) {
      this.helperDirectories = List.copyOf(directories);
      return this;
    }

    /**
     * How long a credential helper may take (default 30 s).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public Builder helperTimeout(Duration timeout) {
      this.helperTimeout = Durations.positive(timeout, "helperTimeout");
      return this;
    }

    /** {@return the provider} */
    public DockerConfigCredentials build() {
      return new DockerConfigCredentials(this);
    }
  }
}
