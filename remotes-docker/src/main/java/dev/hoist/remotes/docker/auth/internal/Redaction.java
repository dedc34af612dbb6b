package dev.hoist.remotes.docker.auth.internal;

import dev.hoist.errors.internal.ServerText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Removes the secrets we sent from text that came back from a server before it reaches a message. A
 * server may echo a secret as we sent it or as it saw it on the wire: literally, URL-encoded (a
 * form-encoded password), or in Base64 (the {@code Basic} header's {@code user:password}, or the
 * secret alone). Each of those forms is replaced by {@code ***}; then {@link
 * ServerText#redactCredentials} removes token-shaped values we did not send ourselves.
 */
final class Redaction {

  private Redaction() {}

  static String redact(String text, TokenRequest req) {
    String out = text;
    if (req.credentials() != null) {
      String user = req.credentials().username();
      String secret = req.credentials().secret();
      // The pair first: its Base64 may contain the secret's own Base64 (when the user name and
      // colon are a multiple of 3 bytes), which would leave the user's part behind.
      if (user != null && secret != null && !secret.isEmpty()) {
        out = replaceAll(out, base64Forms(user + ":" + secret));
      }
      out = replaceAll(out, forms(secret));
    }
    if (req.refreshToken() != null) {
      out = replaceAll(out, forms(req.refreshToken()));
    }
    return ServerText.redactCredentials(out);
  }

  /** The literal secret, its URL encodings and its Base64 encodings; longest first. */
  static Set<String> forms(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    if (secret == null || secret.isEmpty()) {
      return forms;
    }
    forms.addAll(base64Forms(secret));
    String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(form);
    forms.add(form.replace("+", "%20"));
    forms.add(secret);
    return forms;
  }

  /** Standard and URL-safe Base64 of {@code s}, with and without padding. */
  private static Set<String> base64Forms(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    Set<String> forms = new LinkedHashSet<>();
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().encodeToString(bytes));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    return forms;
  }

  private static String replaceAll(String text, Set<String> forms) {
    String out = text;
    for (String f : forms) {
      if (!f.isEmpty()) {
        out = out.replace(f, "***");
      }
    }
    return out;
  }
}
