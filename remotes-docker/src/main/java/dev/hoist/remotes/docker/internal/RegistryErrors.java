package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.errors.RegistryReply;
import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.errors.internal.ServerText;
import dev.hoist.spec.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a registry's error reply into a typed exception whose message carries the registry's error
 * JSON ({@code {"errors":[{"code","message","detail"}]}}, distribution spec "Error Codes").
 */
public final class RegistryErrors {

  /**
   * Error bodies are read up to this many bytes: enough for any real error, bounded for a hostile
   * one.
   */
  static final int MAX_ERROR_BODY = 64 * 1024;

  private RegistryErrors() {}

  /**
   * The exception for a non-2xx {@code reply}; closes its body. 404 → {@link NotFoundException},
   * 401/403 → {@link UnauthorizedException}, 408/429/5xx → {@link UnavailableException}, 400–499
   * otherwise → {@link InvalidArgumentException}, anything else → {@link UnknownException}.
   *
   * @param what what was asked for, e.g. {@code manifest docker.io/library/nginx:latest}
   */
  public static HoistException toException(String what, Reply reply) {
    String message = describe(what, reply);
    int status = reply.status();
    RegistryReply from = replyOf(reply);
    if (status == 404) {
      return new NotFoundException(message, from);
    }
    if (status == 401) {
      return new UnauthorizedException(
          message + " (unauthorized: credentials missing or refused)", from);
    }
    if (status == 403) {
      return new UnauthorizedException(message + " (access denied)", from);
    }
    if (Requester.isRetryableStatus(status) || status >= 500) {
      return new UnavailableException(message, from);
    }
    if (status >= 400 && status < 500) {
      return new InvalidArgumentException(message, from);
    }
    return new UnknownException(message, from);
  }

  /**
   * The host ({@code host[:port]} of the URI that answered, never its user info) and status of
   * {@code reply}.
   */
  public static RegistryReply replyOf(Reply reply) {
    URI u = reply.uri();
    String host = String.valueOf(u.getHost()) + (u.getPort() == -1 ? "" : ":" + u.getPort());
    return new RegistryReply(host, reply.status());
  }

  /**
   * {@code <what>: <METHOD> <uri>: <status>[: <code>: <message> (<detail>); ...]}. Closes the body.
   */
  public static String describe(String what, Reply reply) {
    StringBuilder b = new StringBuilder();
    b.append(what).append(": ").append(reply.method()).append(' ').append(redact(reply.uri()));
    b.append(": status ").append(reply.status());
    List<String> errors = readErrors(reply.body());
    if (!errors.isEmpty()) {
      b.append(": ").append(String.join("; ", errors));
    }
    return b.toString();
  }

  /** The URI without its query, which for a pre-signed object-store URL carries a signature. */
  public static String redact(URI uri) {
    String s =
        uri.getScheme()
            + "://"
            + uri.getRawAuthority()
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
    String q = uri.getRawQuery();
    if (q != null && q.startsWith("ns=") && !q.contains("&")) {
      return s + "?" + q; // the mirror namespace is not a secret and helps to read the message
    }
    return q == null ? s : s + "?…";
  }

  /** Parses the registry error list out of a (possibly null) body, reading at most 64 KiB. */
  static List<String> readErrors(InputStream body) {
    if (body == null) {
      return List.of();
    }
    byte[] bytes;
    try (InputStream in = body) {
      bytes = in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return parseErrors(bytes);
  }

  /** The messages of a registry error document; empty when {@code bytes} is not one. */
  public static List<String> parseErrors(byte[] bytes) {
    List<String> out = new ArrayList<>();
    Object root;
    try {
      root = Json.parseLenient(bytes);
    } catch (IOException e) {
      return out;
    }
    Object errors = root instanceof Map ? ((Map<?, ?>) root).get("errors") : null;
    if (!(errors instanceof List)) {
      return out;
    }
    for (Object element : (List<?>) errors) {
      Map<?, ?> e = element instanceof Map ? (Map<?, ?>) element : Map.of();
      String code = text(e.get("code"));
      String message = text(e.get("message"));
      Object detail = e.get("detail");
      StringBuilder b = new StringBuilder();
      if (code != null) {
        b.append(code);
      }
      if (message != null) {
        b.append(b.length() > 0 ? ": " : "").append(message);
      }
      boolean emptyContainer =
          (detail instanceof Map && ((Map<?, ?>) detail).isEmpty())
              || (detail instanceof List && ((List<?>) detail).isEmpty());
      if (detail != null && !emptyContainer) {
        b.append(" (").append(shorten(text(detail))).append(')');
      }
      if (b.length() > 0) {
        out.add(shorten(b.toString()));
      }
      if (out.size() >= 10) {
        break;
      }
    }
    return out;
  }

  private static String text(Object n) {
    if (n == null) {
      return null;
    }
    return n instanceof Map || n instanceof List
        ? new String(Json.write(n), StandardCharsets.UTF_8)
        : n.toString();
  }

  /** Registry text for a message: controls, echoed credentials and length handled by ServerText. */
  private static String shorten(String s) {
    return ServerText.clean(s, 500);
  }
}
