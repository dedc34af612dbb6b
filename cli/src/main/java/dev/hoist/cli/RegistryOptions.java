package dev.hoist.cli;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.auth.Credentials;
import dev.hoist.remotes.docker.auth.CredentialsProvider;
import dev.hoist.remotes.docker.auth.DockerConfigCredentials;
import dev.hoist.remotes.docker.config.ConfigureHosts;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.remotes.docker.config.TlsOptions;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach registries: plain HTTP, TLS verification, a hosts directory, credentials. */
final class RegistryOptions {

  static final Args.Option PLAIN_HTTP = Args.Option.flag("--plain-http", "Talk plain HTTP to the registry.");
  static final Args.Option SKIP_VERIFY =
      Args.Option.flag("--skip-verify", "Do not verify the registry's TLS certificate.");
  static final Args.Option HOSTS_DIR =
      Args.Option.value("--hosts-dir", "DIR", "containerd-style hosts directory (<host>/hosts.toml, certs.d layout).");
  static final Args.Option USER =
      Args.Option.value("--user", "USER[:SECRET]", "Credentials; without a secret it is asked for on the console.");
  static final List<Args.Option> ALL = List.of(PLAIN_HTTP, SKIP_VERIFY, HOSTS_DIR, USER);

  private final boolean plainHttp;
  private final boolean skipVerify;
  private final Path hostsDir;
  private final String user;

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
  }

  /** Builds the resolver these options describe. */
  Resolver resolver() {
    return resolver(false);
  }

  /** Builds the resolver these options describe, following foreign layers' urls when asked. */
  Resolver resolver(boolean followForeignUrls) {
    HostOptions.Builder hosts = HostOptions.builder().credentials(credentials());
    if (hostsDir != null) {
      hosts.hostsDir(hostsDir);
    }
    if (plainHttp) {
      hosts.defaultScheme("http");
    }
    if (skipVerify) {
      hosts.defaultTls(TlsOptions.builder().skipVerify(true).build());
    }
    return DockerResolver.builder()
        .hosts(ConfigureHosts.from(hosts.build()))
        .followForeignUrls(followForeignUrls)
        .build();
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
            "--user " + name + " has no secret and there is no console to ask for it; use --user USER:SECRET or Docker's config.json");
      }
      char[] pw = console.readPassword("Password for %s: ", name);
      secret = pw == null ? "" : new String(pw);
    }
    Credentials creds = Credentials.of(name, secret);
    // --user applies to every registry this command talks to, as ctr's --user does.
    return host -> Optional.of(creds);
  }
}
