package dev.hoist.remotes.docker.auth.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When a token expires: {@code issued_at} (or the receive time) plus {@code expires_in}, with the
 * distribution token spec's 60 s as default and minimum (as c/image and regclient). containerd
 * instead caches a token without {@code expires_in} forever, which breaks long pulls.
 */
public final class TokenLifetime {

  /** The spec's default token lifetime, also the minimum. */
  public static final Duration MINIMUM = Duration.ofSeconds(60);

  private TokenLifetime() {}

  /** The expiry of {@code resp} received at {@code now}; never in the past. */
  public static Instant expiresAt(TokenResponse resp, Instant now) {
    Duration life = Duration.ofSeconds(resp.expiresInSeconds());
    if (life.compareTo(MINIMUM) < 0) {
      life = MINIMUM;
    }
    Instant issued = resp.issuedAt();
    Instant base = issued != null && !issued.isAfter(now) ? issued : now;
    Instant expires = base.plus(life);
    if (!expires.isAfter(now.plus(Duration.ofSeconds(10)))) {
      // issued_at far in the past: the token server's clock disagrees with ours; trust ours.
      expires = now.plus(life);
    }
    return expires;
  }
}
