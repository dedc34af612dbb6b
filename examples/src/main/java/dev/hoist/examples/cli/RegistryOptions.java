package dev.hoist.examples.cli;

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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach registries: plain HTTP, TLS verification, a hosts directory, credentials. */
final class RegistryOptions {

  @Option(names = "--plain-http", description = "Talk plain HTTP to the registry.")
  boolean plainHttp;

  @Option(names = "--skip-verify", description = "Do not verify the registry's TLS certificate.")
  boolean skipVerify;

  @Option(
      names = "--hosts-dir",
      paramLabel = "DIR",
      description = "containerd-style hosts directory (<host>/hosts.toml, certs.d layout).")
  Path hostsDir;

  @Option(
      names = "--user",
      paramLabel = "USER[:SECRET]",
      description = "Credentials; without a secret it is asked for on the console.")
  String user;

  /** Builds the resolver these options describe. */
  Resolver resolver(PrintWriter err) {
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
    return DockerResolver.builder().hosts(ConfigureHosts.from(hosts.build())).build();
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
