package dev.hoist.bench;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
 * prints each run's wall time and the median of the measured runs ({@code median_s=<seconds>}). The
 * first {@code --warmup} runs are not measured: they pay for JIT compilation and class loading,
 * which a long-running service pays once. With {@code --max-warmup M} (more than {@code --warmup})
 * warm-up goes on until a run in which the JIT compiled for less than {@value
 * #WARM_JIT_SHARE_PERCENT} % of the run's wall time, or until M warm-up runs: a short fetch (200
 * small blobs) still compiles a hundred methods or more in its second and third runs, which is not
 * what a warm JVM does. Each run prints its JIT time; {@code warmup_runs=} says how many there
 * were. Each store is deleted after its run, outside the timing.
 *
 * <pre>
 * WarmFetch --ref 127.0.0.1:5000/big:latest --platform linux/amd64 --store DIR
 *           [--runs 5] [--warmup 1] [--max-warmup M] [--concurrency N] [--http 1.1|2]
 *           [--chunk-size 8m] [--chunk-parallelism 4] [--transport hoist|jdk]
 * </pre>
 */
public final class WarmFetch {

  /** A warm-up run with less JIT time than this share of its wall time ends the warm-up. */
  static final int WARM_JIT_SHARE_PERCENT = 2;

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
    int maxWarmup = Math.max(warmup, args.getInt("max-warmup", warmup));
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    List<Double> times = new ArrayList<>();
    int warmupRuns = 0;
    boolean warm = false;
    for (int i = 0; times.size() < runs; i++) {
      boolean measured = warmupRuns >= maxWarmup || (warmupRuns >= warmup && warm);
      Path dir = base.resolve("run-" + i);
      long jitBefore = jitMillis(jit);
      long start = System.nanoTime();
      LocalContentStore store = LocalContentStore.open(dir);
      try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
        client.fetch(ref, context);
      }
      double s = (System.nanoTime() - start) / 1e9;
      long jitMs = jitMillis(jit) - jitBefore;
      System.out.printf("%s %d: %.3f s (JIT %d ms)%n", measured ? "run" : "warmup", i, s, jitMs);
      if (measured) {
        times.add(s);
      } else {
        warmupRuns++;
        warm = jitMs >= 0 && jitMs * 100 < WARM_JIT_SHARE_PERCENT * s * 1000;
      }
      deleteTree(dir);
    }
    System.out.printf("warmup_runs=%d%n", warmupRuns);
    Collections.sort(times);
    System.out.printf("median_s=%.3f%n", times.get(times.size() / 2));
  }

  /** Milliseconds the JIT has compiled for so far, or -1 when this JVM does not say. */
  private static long jitMillis(CompilationMXBean jit) {
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
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
