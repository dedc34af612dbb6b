package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.remotes.docker.auth.Credentials;
import java.net.URI;
import java.util.List;

/**
 * What to ask a token server for.
 *
 * @param realm the token endpoint from the challenge
 * @param service the {@code service} parameter, or null
 * @param scopes sorted, de-duplicated scopes
 * @param credentials credentials to present, or null for an anonymous token
 * @param refreshToken a refresh token kept from an earlier OAuth2 answer, or null
 */
public record TokenRequest(
    URI realm, String service, List<String> scopes, Credentials credentials, String refreshToken) {

  public TokenRequest {
    scopes = List.copyOf(scopes);
  }

  /** {@code host[:port]} of the realm, for messages. */
  public String realmHost() {
    return realm.getPort() < 0 ? realm.getHost() : realm.getHost() + ":" + realm.getPort();
  }

  @Override
  public String toString() {
    return "TokenRequest["
        + realm
        + ", service="
        + service
        + ", scopes="
        + scopes
        + ", credentials="
        + credentials
        + ", refreshToken="
        + (refreshToken == null ? "none" : "***")
        + "]";
  }
}
