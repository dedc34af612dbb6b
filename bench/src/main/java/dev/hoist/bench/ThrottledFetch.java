package dev.hoist.bench;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.Images;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One large layer behind a per-connection bandwidth cap (the testkit registry's {@link
 * Fault#bandwidth}, which is how CDNs behave): fetched as a single stream ({@code
 * chunkParallelism(1)}) and as parallel {@code Range} chunks at several parallelisms, each into a
 * fresh store in this warm JVM. Prints the median of each and its speed-up over the single stream.
 *
 * <pre>
 * ThrottledFetch --store DIR [--size 256m] [--bandwidth 100m] [--runs 3] [--parallelism 1,4,8] [--chunk-size 8m]
 * </pre>
 */
public final class ThrottledFetch {

  private ThrottledFetch() {}

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
      registry.push("throttled:latest", Images.random(ImageSpec.builder().layers(1, size).seed(77).build()));
      registry.faults().add("GET", "/v2/.*/blobs/.*", Fault.bandwidth(bandwidth));
      String ref = registry.reference("throttled:latest");
      double single = Double.NaN;
      for (String p : args.get("parallelism", "1,4,8").split(",")) {
        int parallelism = Integer.parseInt(p.trim());
        DockerResolver resolver =
            DockerResolver.builder().chunkSize(chunk).chunkParallelism(parallelism).build();
        RemoteContext ctx = RemoteContext.builder().resolver(resolver).platforms("linux/amd64").build();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
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
          }
        }
        Collections.sort(times);
        double median = times.get(times.size() / 2);
        if (parallelism == 1) {
          single = median;
        }
        System.out.printf(
            "throttled %d MiB at %d MiB/s per connection, chunkParallelism %d x %d MiB: median %.3f s, %.1f MiB/s%s%n",
            size >> 20, bandwidth >> 20, parallelism, chunk >> 20, median, (size >> 20) / median,
            Double.isNaN(single) || parallelism == 1 ? "" : String.format(", %.2fx the single stream", single / median));
      }
    }
  }
}
