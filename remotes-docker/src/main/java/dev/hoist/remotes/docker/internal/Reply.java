package dev.hoist.remotes.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP reply from a registry (or a redirect target), with its body as a stream the caller must
 * close.
 *
 * @param method the request method
 * @param uri the URI that answered (after redirects)
 * @param status the HTTP status
 * @param headers the reply headers
 * @param body the body, possibly empty, never null
 */
public record Reply(String method, URI uri, int status, HttpHeaders headers, InputStream body)
    implements AutoCloseable {

  public Reply {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    body = body == null ? InputStream.nullInputStream() : body;
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** Closes the body, ignoring failures: used when the reply is discarded. */
  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException | RuntimeException e) {
      // Discarding a reply: nothing useful to do with a failure to close it.
    }
  }
}
