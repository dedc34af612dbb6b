package dev.hoist.bench;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerFetcher;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.spec.Descriptor;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One large layer behind a per-connection bandwidth cap (the testkit registry's {@link
 * Fault#bandwidth}, which is how CDNs behave): fetched as a single stream ({@code
 * chunkParallelism(1)}) and as parallel {@code Range} chunks at several parallelisms, in this warm
 * JVM: the blob stream alone (network and SHA-256, no disk) and a whole {@code Client.fetch} into a
 * fresh store (whose commit fsyncs the blob, a floor chunking cannot lower). Prints the medians
 * and the speed-ups over the single stream.
 *
 * <pre>
 * ThrottledFetch --store DIR [--size 256m] [--bandwidth 100m] [--runs 3] [--parallelism 1,4,8] [--chunk-size 8m]
 * </pre>
 */
public final class ThrottledFetch {

  private ThrottledFetch() {}

  private static void hash(DockerFetcher fetcher, Descriptor desc) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = fetcher.fetch(desc)) {
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        sha.update(buf, 0, n);
      }
    }
    String got = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (!got.equals(desc.digest().toString())) {
      throw new IllegalStateException("digest mismatch: " + got);
    }
  }

  public static void main(String[] argv) throws Exception {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", WarmFetch.BUFSIZE);
    }
    Args args = new Args(argv);
    Path base = Path.of(args.get("store"));
    long size = args.getSize("size", 256L << 20);
    long bandwidth = args.getSize("bandwidth", 100L << 20);
    int runs = args.getInt("runs", 3);
    long chunk = args.getSize("chunk-size", DockerResolver.DEFAULT_CHUNK_SIZE);
    try (TestRegistry registry = TestRegistry.start()) {
      TestImage image = GeneratedImages.random(ImageSpec.builder().layers(1, size).seed(77).build());
      registry.push("throttled:latest", image);
      Descriptor layer = image.layers().get(0);
      registry.faults().add("GET", "/v2/.*/blobs/.*", Fault.bandwidth(bandwidth));
      String ref = registry.reference("throttled:latest");
      double single = Double.NaN;
      double singleStream = Double.NaN;
      for (String p : args.get("parallelism", "1,4,8").split(",")) {
        int parallelism = Integer.parseInt(p.trim());
        DockerResolver resolver =
            DockerResolver.builder().chunkSize(chunk).chunkParallelism(parallelism).build();
        RemoteContext ctx = RemoteContext.builder().resolver(resolver).platforms("linux/amd64").build();
        List<Double> times = new ArrayList<>();
        List<Double> streamTimes = new ArrayList<>();
        DockerFetcher fetcher = resolver.fetcher(ref);
        for (int i = 0; i <= runs; i++) {
          // The blob stream alone (network + SHA-256, no disk): what chunking changes.
          long t0 = System.nanoTime();
          hash(fetcher, layer);
          double st = (System.nanoTime() - t0) / 1e9;
          Path dir = base.resolve("p" + parallelism + "-" + i);
          LocalContentStore store = LocalContentStore.open(dir);
          long start = System.nanoTime();
          try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
            client.fetch(ref, ctx);
          }
          double s = (System.nanoTime() - start) / 1e9;
          WarmFetch.deleteTree(dir);
          if (i > 0) { // the first run warms the JVM up
            times.add(s);
            streamTimes.add(st);
          }
        }
        Collections.sort(times);
        Collections.sort(streamTimes);
        double median = times.get(times.size() / 2);
        double stream = streamTimes.get(streamTimes.size() / 2);
        if (parallelism == 1) {
          single = median;
          singleStream = stream;
        }
        System.out.printf(
            "throttled %d MiB at %d MiB/s per connection, chunkParallelism %d x %d MiB: blob stream + sha256"
                + " %.3f s (%.1f MiB/s%s); Client.fetch into a LocalContentStore (fsync) %.3f s%s%n",
            size >> 20, bandwidth >> 20, parallelism, chunk >> 20, stream, (size >> 20) / stream,
            parallelism == 1 ? "" : String.format(", %.2fx the single stream", singleStream / stream),
            median,
            parallelism == 1 ? "" : String.format(" (%.2fx)", single / median));
      }
    }
  }
}
