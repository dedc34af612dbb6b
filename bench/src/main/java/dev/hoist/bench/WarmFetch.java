package dev.hoist.bench;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches one image repeatedly in one JVM, each time into a fresh {@link LocalContentStore}, and
 * prints each run's wall time and the median of the measured runs ({@code median_s=<seconds>}).
 * The first {@code --warmup} runs are not measured: they pay for JIT compilation and class
 * loading, which a long-running service pays once. Each store is deleted after its run, outside
 * the timing.
 *
 * <pre>
 * WarmFetch --ref 127.0.0.1:5000/big:latest --platform linux/amd64 --store DIR
 *           [--runs 5] [--warmup 1] [--concurrency N] [--http 1.1|2]
 *           [--chunk-size 8m] [--chunk-parallelism 4] [--transport hoist|jdk]
 * </pre>
 */
public final class WarmFetch {

  private WarmFetch() {}

  /**
   * {@code java.net.http}'s socket read buffer for this JVM, as the {@code hoist} CLI sets it: read
   * once when the client classes load, so it must be set before any of them (REFERENCE §7: the
   * default 16 KiB makes the client hand out, allocate and schedule 16 KiB at a time).
   */
  static final String BUFSIZE = "262144";

  public static void main(String[] argv) throws Exception {
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", BUFSIZE);
    }
    Args args = new Args(argv);
    String ref = args.get("ref");
    String platform = args.get("platform", "linux/amd64");
    Path base = Path.of(args.get("store"));
    int runs = args.getInt("runs", 5);
    int warmup = args.getInt("warmup", 1);
    DockerResolver resolver = resolver(args);
    RemoteContext.Builder ctx = RemoteContext.builder().resolver(resolver).platforms(platform);
    if (args.getInt("concurrency", 0) > 0) {
      ctx.maxConcurrentDownloads(args.getInt("concurrency", 0));
    }
    RemoteContext context = ctx.build();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < warmup + runs; i++) {
      Path dir = base.resolve("run-" + i);
      long start = System.nanoTime();
      LocalContentStore store = LocalContentStore.open(dir);
      try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
        client.fetch(ref, context);
      }
      double s = (System.nanoTime() - start) / 1e9;
      boolean measured = i >= warmup;
      System.out.printf("%s %d: %.3f s%n", measured ? "run" : "warmup", i, s);
      if (measured) {
        times.add(s);
      }
      deleteTree(dir);
    }
    Collections.sort(times);
    System.out.printf("median_s=%.3f%n", times.get(times.size() / 2));
  }

  /** The resolver the bench uses: defaults, except the options given on the command line. */
  static DockerResolver resolver(Args args) {
    DockerResolver.Builder b = DockerResolver.builder();
    if (args.getSize("chunk-size", 0) > 0) {
      b.chunkSize(args.getSize("chunk-size", 0));
    }
    if (args.getInt("chunk-parallelism", 0) > 0) {
      b.chunkParallelism(args.getInt("chunk-parallelism", 0));
    }
    String http = args.get("http", "");
    if (http.equals("1.1")) {
      b.httpVersion(HttpClient.Version.HTTP_1_1);
    } else if (http.equals("2")) {
      b.httpVersion(HttpClient.Version.HTTP_2);
    }
    if (args.get("transport", "").equals("jdk")) {
      b.http1Transport(false); // every request through java.net.http, for comparison
    }
    return b.build();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }
}
