package dev.hoist.bench;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The JVM peer: pulls one platform of an image with Jib core's {@link RegistryClient} (manifest,
 * then config and layers on {@code --threads} threads, as Jib's builder pulls base-image layers in
 * parallel), each blob to a file, with the digest Jib computes while writing checked against the
 * manifest. Prints {@code median_s=} for one run, like {@link WarmFetch}.
 *
 * <pre>
 * JibPull --registry 127.0.0.1:5000 --repo big --tag latest --out DIR [--platform linux/amd64] [--threads 4]
 * </pre>
 */
public final class JibPull {

  private JibPull() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String[] platform = args.get("platform", "linux/amd64").split("/");
    Path out = Files.createDirectories(Path.of(args.get("out")));
    int threads = args.getInt("threads", 4);
    long start = System.nanoTime();
    // Plain HTTP for the loopback registry; Jib tries HTTPS first and falls back.
    FailoverHttpClient http = new FailoverHttpClient(true, false, e -> {});
    RegistryClient client =
        RegistryClient.factory(EventHandlers.NONE, args.get("registry"), args.get("repo"), http)
            .newRegistryClient();
    client.doPullBearerAuth();
    ManifestAndDigest<ManifestTemplate> top = client.pullManifest(args.get("tag", "latest"));
    ManifestTemplate manifest = top.getManifest();
    if (manifest instanceof ManifestListTemplate) {
      List<String> digests =
          ((ManifestListTemplate) manifest).getDigestsForPlatform(platform[1], platform[0]);
      if (digests.isEmpty()) {
        throw new IllegalStateException("no manifest for " + String.join("/", platform));
      }
      manifest = client.pullManifest(digests.get(0)).getManifest();
    }
    BuildableManifestTemplate image = (BuildableManifestTemplate) manifest;
    List<BuildableManifestTemplate.ContentDescriptorTemplate> blobs = new ArrayList<>();
    blobs.add(image.getContainerConfiguration());
    blobs.addAll(image.getLayers());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> pulls = new ArrayList<>();
      for (BuildableManifestTemplate.ContentDescriptorTemplate b : blobs) {
        pulls.add(pool.submit(() -> {
          pull(client, b.getDigest(), out);
          return null;
        }));
      }
      for (Future<?> f : pulls) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      http.shutDown();
    }
    System.out.printf("median_s=%.3f%n", (System.nanoTime() - start) / 1e9);
  }

  private static void pull(RegistryClient client, DescriptorDigest digest, Path out) throws IOException {
    Path file = out.resolve(digest.getHash());
    BlobDescriptor got;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      got = client.pullBlob(digest, size -> {}, n -> {}).writeTo(os);
    }
    if (!got.getDigest().equals(digest)) {
      throw new IOException("blob " + digest + ": got " + got.getDigest());
    }
  }
}
