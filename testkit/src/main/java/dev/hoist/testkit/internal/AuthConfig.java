package dev.hoist.testkit.internal;

import java.time.Clock;
import java.time.Duration;

/**
 * How a registry authenticates: none, Basic, or Bearer through its own {@code /token} endpoint.
 * {@code toString()} never shows the password.
 */
public final class AuthConfig {

  /** The authentication scheme. */
  public enum Mode {
    NONE,
    BASIC,
    BEARER
  }

  final Mode mode;
  final String username; // null: Bearer tokens for anyone
  final String password;
  final Duration tokenLifetime;
  final Clock clock;

  public AuthConfig(
      Mode mode, String username, String password, Duration tokenLifetime, Clock clock) {
    this.mode = mode;
    this.username = username;
    this.password = password;
    this.tokenLifetime = tokenLifetime;
    this.clock = clock;
  }

  public Mode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return "auth " + mode + (username == null ? "" : " user " + username + " password <redacted>");
  }
}
