package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.internal.ServerText;
import dev.hoist.remotes.docker.auth.Challenge;
import dev.hoist.remotes.docker.auth.Credentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Messages and small checks of the authorizer, kept out of it so that it stays readable. */
public final class AuthMessages {

  private AuthMessages() {}

  /**
   * The error for a request refused again after its retry, in the words Docker users know. Names
   * the repository, host and who asked; never a secret.
   */
  public static UnauthorizedException denied(
      String repository, String host, Challenge c, Optional<Credentials> creds) {
    String who =
        creds
            .map(cr -> cr.isIdentityToken() ? "identity token" : "user " + cr.username())
            .orElse("anonymous access");
    String why =
        c.error()
            .map(
                e ->
                    "registry answered 401 "
                        + printable(e)
                        + c.param("error_description")
                            .map(d -> " (" + printable(d) + ")")
                            .orElse(""))
            .orElse("registry answered 401 to the " + c.scheme() + " authorization");
    return new UnauthorizedException(
        "pull access denied for "
            + repository
            + " on "
            + host
            + ": "
            + why
            + " for "
            + who
            + " (repository does not exist or may require authorization)");
  }

  /** Server-supplied text for a message: see {@link ServerText#clean(String)}. */
  public static String printable(String s) {
    return ServerText.clean(s);
  }

  /** The realm as an absolute http(s) URI, or null when it is not one. */
  public static URI realm(String realm) {
    try {
      URI u = new URI(realm);
      String s = u.getScheme();
      if (u.getHost() == null
          || s == null
          || !(s.equalsIgnoreCase("https") || s.equalsIgnoreCase("http"))) {
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
