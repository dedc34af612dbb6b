package dev.hoist.remotes.docker.auth;

import dev.hoist.errors.InvalidArgumentException;

/**
 * A username and secret for one registry. The secret is a password, or an identity (refresh) token
 * when the username is empty or {@value #TOKEN_USERNAME} (Docker's convention).
 *
 * <p>{@link #toString()} never shows the secret.
 *
 * @param username the user name; empty for an identity token
 * @param secret the password or identity token; never empty
 */
public record Credentials(String username, String secret) {

  /** The username Docker's credential helpers use for identity tokens. */
  public static final String TOKEN_USERNAME = "<token>";

  /**
   * A null username becomes empty.
   *
   * @param username the user name; empty for an identity token
   * @param secret the password or identity token; never empty
   * @throws InvalidArgumentException when {@code secret} is null or empty
   */
  public Credentials {
    username = username == null ? "" : username;
    if (secret == null || secret.isEmpty()) {
      throw new InvalidArgumentException(
          "credentials for user \"" + username + "\" have an empty secret");
    }
  }

  /**
   * A username and password.
   *
   * @param username the user name
   * @param password the password, not empty
   * @return the credentials
   * @throws InvalidArgumentException when {@code password} is null or empty
   */
  public static Credentials of(String username, String password) {
    return new Credentials(username, password);
  }

  /**
   * An identity token (OAuth2 refresh token), as {@code docker login} stores for some registries.
   *
   * @param token the identity token, not empty
   * @return credentials with an empty username
   * @throws InvalidArgumentException when {@code token} is null or empty
   */
  public static Credentials identityToken(String token) {
    return new Credentials("", token);
  }

  /** {@return true when {@link #secret()} is an identity token rather than a password} */
  public boolean isIdentityToken() {
    return username.isEmpty() || TOKEN_USERNAME.equals(username);
  }

  @Override
  public String toString() {
    return isIdentityToken()
        ? "Credentials[identity token, secret=***]"
        : "Credentials[username=" + username + ", secret=***]";
  }
}
