package dev.hoist.bench;

import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Blob;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.TestImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pushes the standard images to a registry with plain {@code java.net.http}: each blob as one
 * monolithic upload ({@code POST} then a streaming {@code PUT ?digest=}), then the manifests and,
 * for multi-platform images, the index under the tag {@code latest}. Blob bytes are generated
 * while they are sent, never held in memory.
 *
 * <p>For each image it writes {@code <out>/<name>.blobs}: the config and layers of the
 * {@code linux/amd64} manifest, one {@code <digest> <size>} per line, which is what a
 * single-platform fetch downloads (the physical-limit measurement fetches exactly these).
 *
 * <pre>
 * Push --registry http://127.0.0.1:5000 --out DIR [--quick] --images big,huge,many,multi
 * </pre>
 */
public final class Push {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  private Push(URI base) {
    this.base = base;
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    URI base = URI.create(args.get("registry"));
    Path out = Path.of(args.get("out"));
    boolean quick = args.flag("quick");
    Files.createDirectories(out);
    Push push = new Push(base);
    for (String name : args.get("images").split(",")) {
      long start = System.nanoTime();
      ImageSpec spec = StandardImages.spec(name, quick);
      TestImage image = GeneratedImages.random(spec);
      push.image(name, image);
      writeBlobList(out.resolve(name + ".blobs"), image);
      System.out.printf(
          "pushed %s: %d blobs, %.1f MiB in %.1f s%n",
          name, image.blobs().size(), image.totalSize() / 1048576.0, (System.nanoTime() - start) / 1e9);
    }
  }

  private static void writeBlobList(Path file, TestImage image) throws IOException {
    int perPlatform = image.layers().size() / image.manifests().size();
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(image.configs().get(0));
    blobs.addAll(image.layers().subList(0, perPlatform));
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      for (Descriptor d : blobs) {
        w.println(d.digest() + " " + d.size());
      }
    }
  }

  private void image(String repo, TestImage image) throws Exception {
    List<Descriptor> tops = new ArrayList<>(image.manifests());
    if (image.index() != null) {
      tops.add(image.index());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (Blob blob : image.blobs().values()) {
        if (tops.stream().anyMatch(d -> d.digest().equals(blob.digest()))) {
          continue;
        }
        uploads.add(pool.submit(() -> {
          try {
            upload(repo, blob);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }));
      }
      for (Future<?> f : uploads) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    boolean index = image.index() != null;
    for (Descriptor m : image.manifests()) {
      putManifest(repo, index ? m.digest().toString() : "latest", m.mediaType(), image.bytes(m));
    }
    if (index) {
      putManifest(repo, "latest", image.index().mediaType(), image.bytes(image.index()));
    }
  }

  private void upload(String repo, Blob blob) throws IOException, InterruptedException {
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(started, 202, "start upload of " + blob.digest());
    String location =
        started.headers().firstValue("Location")
            .orElseThrow(() -> new IOException("upload of " + blob.digest() + ": no Location"));
    URI target = base.resolve(location);
    Digest digest = blob.digest();
    URI put =
        URI.create(target + (target.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(() -> {
              try {
                return blob.open();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
            blob.size());
    HttpResponse<String> done =
        http.send(
            HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(done, 201, "upload of " + digest);
  }

  private void putManifest(String repo, String ref, String mediaType, byte[] bytes)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/manifests/" + ref))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    expect(r, 201, "manifest " + repo + ":" + ref);
  }

  private static void expect(HttpResponse<String> r, int status, String what) throws IOException {
    if (r.statusCode() != status) {
      throw new IOException(what + ": status " + r.statusCode() + ": " + r.body());
    }
  }
}
