package dev.hoist.remotes.docker.auth;

import dev.hoist.remotes.docker.auth.internal.HostNames;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up the credentials for a registry host, e.g. {@code registry.example.com:5000}.
 *
 * <p>Hosts are compared after normalisation: lower-cased, without scheme or path, and with Docker
 * Hub's names ({@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}) treated as
 * one. Implementations must be thread-safe and must never put the secret in an exception message or
 * log line.
 */
@FunctionalInterface
public interface CredentialsProvider {

  /**
   * The credentials for {@code host}, or empty when none are known.
   *
   * @param host {@code host[:port]} of the registry (or of its token realm)
   * @return the credentials, or empty
   */
  Optional<Credentials> credentials(String host);

  /** {@return a provider that never knows any credentials} */
  static CredentialsProvider none() {
    return host -> Optional.empty();
  }

  /**
   * Static credentials for one host (see the class comment for how hosts are compared).
   *
   * @param host {@code host[:port]} of the registry
   * @param username the user name
   * @param secret the password or identity token, not empty
   * @return a provider that knows only {@code host}
   * @throws dev.hoist.errors.InvalidArgumentException when {@code secret} is null or empty
   */
  static CredentialsProvider of(String host, String username, String secret) {
    Objects.requireNonNull(host, "host");
    Credentials creds = new Credentials(username, secret);
    String key = HostNames.canonical(host);
    return h ->
        h != null && key.equals(HostNames.canonical(h)) ? Optional.of(creds) : Optional.empty();
  }

  /**
   * Asks {@code providers} in order; the first that knows the host wins.
   *
   * @param providers the providers, in the order asked
   * @return the combined provider
   */
  static CredentialsProvider firstOf(CredentialsProvider... providers) {
    List<CredentialsProvider> list = List.of(providers);
    return host -> {
      for (CredentialsProvider p : list) {
        Optional<Credentials> c = p.credentials(host);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }

  /**
   * This provider, then {@code next} for hosts this one does not know.
   *
   * @param next asked for the hosts this provider has no credentials for
   * @return the combined provider
   */
  default CredentialsProvider orElse(CredentialsProvider next) {
    return firstOf(this, next);
  }
}
