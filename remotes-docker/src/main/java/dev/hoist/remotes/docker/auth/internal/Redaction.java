package dev.hoist.remotes.docker.auth.internal;

/** Removes secrets from text that came back from a server before it reaches a message. */
final class Redaction {

  private Redaction() {}

  static String redact(String text, TokenRequest req) {
    String out = text;
    if (req.credentials() != null) {
      out = replace(out, req.credentials().secret());
    }
    if (req.refreshToken() != null) {
      out = replace(out, req.refreshToken());
    }
    return out;
  }

  private static String replace(String text, String secret) {
    if (secret == null || secret.length() < 1) {
      return text;
    }
    return text.replace(secret, "***");
  }
}
