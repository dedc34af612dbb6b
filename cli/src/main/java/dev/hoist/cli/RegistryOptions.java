package dev.hoist.cli;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.remotes.docker.auth.Credentials;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.auth.DockerConfigCredentials;
import dev.hoist.remotes.docker.config.ConfigureHosts;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.remotes.docker.config.ProxySettings;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach registries: plain HTTP, TLS verification, a hosts directory, credentials, retries
 * and timeouts.
 */
final class RegistryOptions {

  static final Args.Option PLAIN_HTTP =
      Args.Option.flag("--plain-http", "Talk plain HTTP to the registry.");
  static final Args.Option SKIP_VERIFY =
      Args.Option.flag("--skip-verify", "Do not verify the registry's TLS certificate.");
  static final Args.Option HOSTS_DIR =
      Args.Option.value(
          "--hosts-dir",
          "DIR",
          "containerd-style hosts directory (<host>/hosts.toml, certs.d layout).");
  static final Args.Option USER =
      Args.Option.value(
          "--user",
          "USER[:SECRET]",
          "Credentials; without a secret it is asked for on the console.");
  static final Args.Option RETRY_FOR =
      Args.Option.value(
          "--retry-for",
          "DURATION",
          "Keep retrying a request that fails with a connection error, 408, 429 or 5xx for this long (default 60s; 0s: no retries).");
  static final Args.Option IDLE_TIMEOUT =
      Args.Option.value(
          "--idle-timeout",
          "DURATION",
          "Fail a request whose reply head or body stalls for this long (default 60s).");
  static final List<Args.Option> ALL =
      List.of(PLAIN_HTTP, SKIP_VERIFY, HOSTS_DIR, USER, RETRY_FOR, IDLE_TIMEOUT);

  private final boolean plainHttp;
  private final boolean skipVerify;
  private final Path hostsDir;
  private final String user;
  private final Duration retryFor;
  private final Duration idleTimeout;

  /**
   * Reads the registry options.
   *
   * @throws Args.UsageException for a missing {@code --hosts-dir}, a {@code --user} without a name,
   *     a malformed {@code --retry-for} or a malformed or zero {@code --idle-timeout}
   */
  RegistryOptions(Args args) throws Args.UsageException {
    this.plainHttp = args.has(PLAIN_HTTP.name());
    this.skipVerify = args.has(SKIP_VERIFY.name());
    String dir = args.value(HOSTS_DIR.name(), null);
    this.hostsDir = dir == null ? null : Path.of(dir);
    // A typo in --hosts-dir would otherwise silently mean "no mirrors, no TLS settings".
    if (hostsDir != null && !Files.isDirectory(hostsDir)) {
      throw new Args.UsageException("--hosts-dir " + dir + " is not a directory");
    }
    this.user = args.value(USER.name(), null);
    if (user != null && (user.isEmpty() || user.startsWith(":"))) {
      throw new Args.UsageException("--user needs a user name before the colon");
    }
    this.retryFor = duration(args, RETRY_FOR);
    this.idleTimeout = duration(args, IDLE_TIMEOUT);
    if (idleTimeout != null && idleTimeout.isZero()) {
      throw new Args.UsageException(IDLE_TIMEOUT.name() + " must be more than 0s");
    }
  }

  private static Duration duration(Args args, Args.Option option) throws Args.UsageException {
    String value = args.value(option.name(), null);
    if (value == null) {
      return null;
    }
    try {
      return CliDurations.parse(option.name(), value);
    } catch (InvalidArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
  }

  /** Builds the resolver these options describe. */
  Resolver resolver() {
    return resolver(false);
  }

  /** Builds the resolver these options describe, following foreign layers' urls when asked. */
  Resolver resolver(boolean followForeignUrls) {
    HostOptions.Builder hosts =
        HostOptions.builder()
            .credentials(credentials())
            .proxy(ProxySettings.fromEnvironment(System.getenv()));
    if (hostsDir != null) {
      hosts.hostsDir(hostsDir);
    }
    if (plainHttp) {
      hosts.defaultScheme("http");
    }
    if (skipVerify) {
      hosts.defaultTls(TlsOptions.builder().skipVerify(true).build());
    }
    DockerResolver.Builder resolver =
        DockerResolver.builder()
            .hosts(ConfigureHosts.from(hosts.build()))
            .followForeignUrls(followForeignUrls);
    if (retryFor != null) {
      resolver.retryPolicy(RetryPolicy.builder().retryFor(retryFor).build());
    }
    if (idleTimeout != null) {
      resolver.readIdleTimeout(idleTimeout);
    }
    return resolver.build();
  }

  private CredentialsProvider credentials() {
    CredentialsProvider docker = DockerConfigCredentials.load();
    if (user == null) {
      return docker;
    }
    int colon = user.indexOf(':');
    String name = colon < 0 ? user : user.substring(0, colon);
    if (name.isEmpty()) {
      throw new InvalidArgumentException("--user needs a user name before the colon");
    }
    String secret;
    if (colon >= 0) {
      secret = user.substring(colon + 1);
    } else {
      Console console = System.console();
      if (console == null) {
        throw new InvalidArgumentException(
            "--user "
                + name
                + " has no secret and there is no console to ask for it; use --user USER:SECRET or Docker's config.json");
      }
      char[] pw = console.readPassword("Password for %s: ", name);
      secret = pw == null ? "" : new String(pw);
    }
    Credentials creds = Credentials.of(name, secret);
    // --user applies to every registry this command talks to, as ctr's --user does.
    return host -> Optional.of(creds);
  }
}
