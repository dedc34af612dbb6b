package dev.hoist.remotes.docker.auth;

import dev.hoist.errors.internal.ServerText;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One authentication challenge from a {@code WWW-Authenticate} header, e.g. {@code Bearer
 * realm="https://auth.example.com/token",service="registry"}.
 *
 * @param scheme the auth scheme, lower-cased ({@code bearer}, {@code basic}, …)
 * @param params the auth parameters, keys lower-cased, values as sent (unquoted, unescaped)
 */
public record Challenge(String scheme, Map<String, String> params) {

  /** The Bearer scheme (token auth). */
  public static final String BEARER = "bearer";

  /** The Basic scheme. */
  public static final String BASIC = "basic";

  /**
   * Lower-cases the scheme and the parameter names (the first of two names that differ only in case
   * wins); null values become empty.
   *
   * @param scheme the auth scheme, lower-cased ({@code bearer}, {@code basic}, …)
   * @param params the auth parameters, keys lower-cased, values as sent (unquoted, unescaped)
   * @throws NullPointerException when {@code scheme} is null
   */
  public Challenge {
    Objects.requireNonNull(scheme, "scheme");
    scheme = scheme.toLowerCase(Locale.ROOT);
    Map<String, String> copy = new LinkedHashMap<>();
    if (params != null) {
      params.forEach((k, v) -> copy.putIfAbsent(k.toLowerCase(Locale.ROOT), v == null ? "" : v));
    }
    params = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * The value of parameter {@code name} (case-insensitive), if present.
   *
   * @param name the parameter name, in any case
   * @return its value, or empty when absent
   */
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /** {@return the {@code realm} parameter, if present} */
  public Optional<String> realm() {
    return param("realm");
  }

  /** {@return the {@code service} parameter, if present} */
  public Optional<String> service() {
    return param("service");
  }

  /** {@return the {@code scope} parameter split on spaces; empty when absent} */
  public List<String> scopes() {
    return param("scope")
        .map(s -> Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }

  /**
   * {@return the {@code error} parameter (e.g. {@code invalid_token}), if present and not empty}
   */
  public Optional<String> error() {
    return param("error").filter(e -> !e.isEmpty());
  }

  /** {@return true for the {@code bearer} scheme} */
  public boolean isBearer() {
    return BEARER.equals(scheme);
  }

  /** {@return true for the {@code basic} scheme} */
  public boolean isBasic() {
    return BASIC.equals(scheme);
  }

  /** For logs: the server's text with controls removed and each value capped (see ServerText). */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Challenge[").append(ServerText.clean(scheme, 40));
    params.forEach(
        (k, v) ->
            b.append(' ')
                .append(ServerText.clean(k, 40))
                .append("=\"")
                .append(ServerText.clean(v))
                .append('"'));
    return b.append(']').toString();
  }
}
