package dev.hoist.reliability;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentInfo;
import dev.hoist.content.ContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.RetryPolicy;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared wiring for the suite: resolvers with test-friendly settings, fetches and store checks. */
final class Fetches {

  private Fetches() {}

  /**
   * A resolver for testkit registries: HTTP/1.1 (one connection per download, so that a dropped
   * connection affects one blob), a recording sleeper and short idle timeouts.
   */
  static DockerResolver.Builder resolver(RecordingSleeper sleeper) {
    return DockerResolver.builder()
        .httpVersion(HttpClient.Version.HTTP_1_1)
        .sleeper(sleeper)
        .readIdleTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.builder().maxAttempts(4).seed(7).build());
  }

  static Image fetch(ContentStore store, String ref, Resolver resolver) {
    return fetch(store, null, ref, resolver);
  }

  static Image fetch(ContentStore store, ImageStore images, String ref, Resolver resolver) {
    Client.Builder b = Client.builder().contentStore(store);
    if (images != null) {
      b.imageStore(images);
    }
    try (Client client = b.build()) {
      return client.fetch(
          ref, RemoteContext.builder().resolver(resolver).platforms("linux/amd64").build());
    }
  }

  /** The GET requests for blob or manifest {@code digest}. */
  static List<LoggedRequest> gets(TestRegistry registry, Digest digest) {
    return registry
        .requestLog()
        .matching("GET", "/" + java.util.regex.Pattern.quote(digest.toString()) + "$");
  }

  /** Body bytes the registry sent for {@code digest} over all requests. */
  static long bytesSent(TestRegistry registry, Digest digest) {
    return gets(registry, digest).stream().mapToLong(LoggedRequest::bytesSent).sum();
  }

  /** Every blob of {@code image} needed for linux/amd64 (root, manifests, configs, layers). */
  static List<Descriptor> amd64Blobs(TestImage image) {
    List<Descriptor> all = new ArrayList<>();
    all.add(image.root());
    for (int i = 0; i < image.manifests().size(); i++) {
      Descriptor m = image.manifests().get(i);
      if (m.platform() == null || "amd64".equals(m.platform().architecture())) {
        if (!m.digest().equals(image.root().digest())) {
          all.add(m);
        }
        all.add(image.configs().get(i));
      }
    }
    int perManifest = image.layers().size() / Math.max(1, image.manifests().size());
    for (int i = 0; i < image.manifests().size(); i++) {
      Descriptor m = image.manifests().get(i);
      if (m.platform() == null || "amd64".equals(m.platform().architecture())) {
        all.addAll(image.layers().subList(i * perManifest, (i + 1) * perManifest));
      }
    }
    return all;
  }

  /**
   * Re-reads and re-hashes blob {@code desc} from {@code store}; true when size and digest match.
   */
  static boolean verifies(ContentStore store, Descriptor desc) {
    try {
      ContentInfo info = store.info(desc.digest());
      if (info.size() != desc.size()) {
        return false;
      }
      Digester d = Digester.of(desc.digest().algorithm());
      long n = 0;
      try (SeekableByteChannel ch = store.open(desc)) {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        int r;
        while ((r = ch.read(buf)) != -1) {
          buf.flip();
          d.update(buf);
          n += r;
          buf.clear();
        }
      }
      return n == desc.size() && d.digest().equals(desc.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the store holds a committed blob {@code digest}. */
  static boolean has(ContentStore store, Digest digest) {
    try {
      store.info(digest);
      return true;
    } catch (dev.hoist.errors.NotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
