package dev.hoist.errors;

import java.util.Objects;

/**
 * The registry reply an exception came from, for callers that act on it (a 429 waits longer, a 503
 * may be tried on a mirror) without parsing messages.
 *
 * @param host the host that answered, {@code host[:port]} (a mirror or a redirect target, not
 *     necessarily the reference's registry)
 * @param status the HTTP status of the reply
 */
public record RegistryReply(String host, int status) {

  /**
   * Checks the host.
   *
   * @param host the host that answered, {@code host[:port]}
   * @param status the HTTP status of the reply
   * @throws NullPointerException when {@code host} is null
   */
  public RegistryReply {
    Objects.requireNonNull(host, "host");
  }
}
