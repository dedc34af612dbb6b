package dev.hoist.remotes.docker.testing;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Pushes test content into a registry through the distribution HTTP API: blobs with a monolithic
 * upload ({@code POST /v2/<repo>/blobs/uploads/} then {@code PUT <location>?digest=…}), manifests
 * with {@code PUT /v2/<repo>/manifests/<reference>}. Test code only: no retries, no chunking.
 */
public final class RegistryPusher {

  private final URI base;
  private final HttpClient client;
  private final Supplier<String> authorization;

  private RegistryPusher(URI base, HttpClient client, Supplier<String> authorization) {
    this.base = base;
    this.client = client;
    this.authorization = authorization;
  }

  /** A pusher to {@code registry}, plain HTTP, no credentials. */
  public static RegistryPusher to(DistributionRegistry registry) {
    return to(registry.baseUri());
  }

  /** A pusher to {@code base} ({@code http://host:port}), no credentials. */
  public static RegistryPusher to(URI base) {
    return new RegistryPusher(base, HttpClient.newHttpClient(), () -> null);
  }

  /** This pusher with another HTTP client, e.g. one trusting the test CA. */
  public RegistryPusher withClient(HttpClient client) {
    return new RegistryPusher(base, Objects.requireNonNull(client, "client"), authorization);
  }

  /**
   * This pusher sending {@code Authorization: <supplier.get()>} (when non-null) with every request.
   */
  public RegistryPusher withAuthorization(Supplier<String> supplier) {
    return new RegistryPusher(base, client, Objects.requireNonNull(supplier, "supplier"));
  }

  /** Uploads {@code data} into {@code repo} and returns its digest. */
  public Digest pushBlob(String repo, byte[] data) {
    Digest digest = Digest.sha256(data);
    HttpResponse<String> start =
        send(
            request(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    expect(start, 202, "start upload to " + repo);
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("upload without Location"));
    URI upload = base.resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(upload + sep + "digest=" + digest);
    HttpResponse<String> done =
        send(
            request(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    expect(done, 201, "finish upload of " + digest + " to " + repo);
    return digest;
  }

  /** Puts a manifest or index under {@code reference} (a tag or a digest). */
  public Digest pushManifest(String repo, String reference, String mediaType, byte[] body) {
    HttpResponse<String> r =
        send(
            request(base.resolve("/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    expect(r, 201, "put manifest " + repo + ":" + reference);
    return Digest.sha256(body);
  }

  /** Puts a manifest or index under its own digest. */
  public Digest pushManifest(String repo, String mediaType, byte[] body) {
    return pushManifest(repo, Digest.sha256(body).toString(), mediaType, body);
  }

  /**
   * Pushes a whole {@link TestImages} graph into {@code repo}: configs and layers as blobs, each
   * manifest under its digest, and the root (index, or the only manifest) under {@code tag}.
   *
   * @return the root descriptor
   */
  public Descriptor push(String repo, String tag, TestImages image) {
    Set<Digest> documents = new HashSet<>();
    documents.add(image.root().digest());
    for (Descriptor m : image.manifests()) {
      documents.add(m.digest());
    }
    for (Map.Entry<Digest, byte[]> e : image.blobs().entrySet()) {
      if (!documents.contains(e.getKey())) {
        pushBlob(repo, e.getValue());
      }
    }
    for (Descriptor m : image.manifests()) {
      if (!m.digest().equals(image.root().digest())) {
        pushManifest(repo, m.digest().toString(), m.mediaType(), image.blob(m.digest()));
      }
    }
    pushManifest(repo, tag, image.root().mediaType(), image.blob(image.root().digest()));
    return image.root();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    String auth = authorization.get();
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          what + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
    }
  }
}
