package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.AuthRequest;
import dev.hoist.remotes.docker.Authorizer;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The authorization step of a request: the host's credentials on the way out (to the registry's own
 * origin only), and one answer to a 401 challenge on the way back. {@link Requester} composes it
 * with the redirect step and the retry decision.
 */
final class AuthorizationStep {

  private AuthorizationStep() {}

  /**
   * Adds the {@code Authorization} header the host's authorizer has for {@code call} at {@code at},
   * if any.
   *
   * @param call the request
   * @param at the URI this hop goes to (the registry's own origin)
   * @param headers the hop's headers, added to
   * @throws IOException when the authorizer cannot get credentials
   */
  static void authorize(Requester.Call call, URI at, List<Map.Entry<String, String>> headers)
      throws IOException {
    call.host()
        .authorizer()
        .authorize(request(call, at))
        .ifPresent(a -> headers.add(Map.entry("Authorization", a)));
  }

  /**
   * Whether {@code reply} is the registry's own challenge: a 401 from the origin the request was
   * sent to. A redirect target's 401 is final (it never saw the registry's credentials).
   *
   * @param asked the URI the request was first sent to
   * @param reply the reply
   * @return true for a 401 from the same origin
   */
  static boolean isChallenge(URI asked, Reply reply) {
    return reply.status() == 401 && RedirectStep.sameOrigin(asked, reply.uri());
  }

  /**
   * Answers a challenge: hands it to the host's authorizer, which learns the scheme and realm and
   * may fetch a token. Returns whether to send the request once more. After the one retry the
   * authorizer still sees the 401, so that it can explain the refusal ({@code DockerAuthorizer}
   * throws "pull access denied ..."); its answer is ignored then.
   *
   * @param call the request
   * @param reply the 401 (see {@link #isChallenge})
   * @param retried whether the request was already sent again after a challenge
   * @return true to send again with new credentials; false when the 401 is the answer
   * @throws IOException when the authorizer fails (the reply is closed then)
   */
  static boolean answer(Requester.Call call, Reply reply, boolean retried) throws IOException {
    Authorizer authorizer = call.host().authorizer();
    try {
      return authorizer.onUnauthorized(request(call, call.uri()), reply.headers()) && !retried;
    } catch (IOException | RuntimeException e) {
      reply.close();
      throw e;
    }
  }

  private static AuthRequest request(Requester.Call call, URI uri) {
    return new AuthRequest(call.method(), uri, call.scopes());
  }
}
