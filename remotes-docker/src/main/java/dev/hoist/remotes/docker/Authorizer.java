package dev.hoist.remotes.docker;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * Supplies {@code Authorization} headers for one registry host and learns from its challenges, as
 * containerd's {@code docker.Authorizer}. Thread-safe: concurrent downloads share one.
 */
public interface Authorizer {

  /** An authorizer that never authorizes and gives up on every challenge. */
  Authorizer NONE =
      new Authorizer() {
        @Override
        public Optional<String> authorize(AuthRequest request) {
          return Optional.empty();
        }

        @Override
        public boolean onUnauthorized(AuthRequest request, HttpHeaders responseHeaders) {
          return false;
        }
      };

  /**
   * The {@code Authorization} header value for {@code request}, if any is known.
   *
   * @param request the request about to be sent
   * @return the header value, or empty to send the request without one
   * @throws IOException when fetching a token fails
   */
  Optional<String> authorize(AuthRequest request) throws IOException;

  /**
   * Called with the headers of a 401 reply (its {@code WWW-Authenticate} challenges).
   *
   * @param request the request that was refused
   * @param responseHeaders the headers of the 401 reply
   * @throws IOException when fetching a token fails
   * @return true when retrying the request with {@link #authorize} may succeed; false to give up
   * @throws dev.hoist.errors.UnauthorizedException when the credentials were refused
   */
  boolean onUnauthorized(AuthRequest request, HttpHeaders responseHeaders) throws IOException;
}
