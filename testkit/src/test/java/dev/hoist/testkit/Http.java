package dev.hoist.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A thin java.net.http client for the tests: one method per request shape. */
final class Http {

  private final HttpClient client;
  private final URI base;

  Http(TestRegistry registry) {
    this(registry, HttpClient.Redirect.NEVER);
  }

  Http(TestRegistry registry, HttpClient.Redirect redirect) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(redirect)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.base = registry.url();
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws IOException {
    URI uri = path.startsWith("http") ? URI.create(path) : base.resolve(path);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  HttpResponse<byte[]> get(String path, String... headers) throws IOException {
    return send("GET", path, null, headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) throws IOException {
    return send("HEAD", path, null, headers);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }
}
