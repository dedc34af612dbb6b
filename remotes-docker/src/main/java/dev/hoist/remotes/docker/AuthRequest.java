package dev.hoist.remotes.docker;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A request an {@link Authorizer} is asked to authorize.
 *
 * @param method the HTTP method
 * @param uri the request URI; its host is the one credentials may be sent to
 * @param scopes the token scopes this request needs, e.g. {@code repository:library/nginx:pull}
 */
public record AuthRequest(String method, URI uri, List<String> scopes) {
  /**
   * Requires the method and URI; null scopes become empty.
   *
   * @param method the HTTP method
   * @param uri the request URI; its host is the one credentials may be sent to
   * @param scopes the token scopes this request needs, e.g. {@code repository:library/nginx:pull}
   * @throws NullPointerException when {@code method} or {@code uri} is null
   */
  public AuthRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }
}
