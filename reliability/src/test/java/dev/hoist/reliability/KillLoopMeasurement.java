package dev.hoist.reliability;

import dev.hoist.content.IngestStatus;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.testkit.Fault;
import dev.hoist.testkit.FaultRule;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.LoggedRequest;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Not a test (its figures depend on timing): issue 14's kill loop. {@code hoist fetch} of a 6 × 32
 * MiB image through a bandwidth-limited testkit registry is killed with SIGKILL at a random moment
 * {@code kills} times, then run to completion; prints the bytes the registry sent for blobs divided
 * by the image's size (issue 14 measured 1.36 for Hoist, 1.18 for ctr; target ≤ 1.1).
 *
 * <pre>
 * java -cp "$(cat reliability/target/test-classpath.txt):reliability/target/test-classes" \
 *     dev.hoist.reliability.KillLoopMeasurement [kills] [seed] [bytesPerSecondPerConnection]
 * </pre>
 */
public final class KillLoopMeasurement {

  private KillLoopMeasurement() {}

  public static void main(String[] args) throws Exception {
    int kills = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    long rate = args.length > 2 ? Long.parseLong(args[2]) : 16L << 20;
    Random random = new Random(seed);
    Path dir = Files.createTempDirectory("hoist-kill-loop");
    Path store = dir.resolve("store");
    TestImage image =
        GeneratedImages.random(ImageSpec.builder().layers(6, 32 << 20).seed(seed).build());
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push("team/app:1", image);
      registry.faults().add(FaultRule.on("GET", "/blobs/").inject(Fault.bandwidth(rate)));
      registry.requestLog().clear();
      String ref = registry.reference("team/app:1");
      String[] fetch = {
        "fetch", "--store", store.toString(), "--platform", "linux/amd64", "--progress", "none", ref
      };
      // Six layers at `rate` each take 32 MiB / rate; kill somewhere in the first 90 % of that
      // (less when earlier runs left partial ingests: some runs then finish, which ends the loop).
      long fullMillis = (32L << 20) * 1000 / rate;
      LocalContentStore observer = LocalContentStore.open(store);
      for (int i = 0; i < kills; i++) {
        Process p = Processes.hoist(dir.resolve("kill-" + i + ".log"), fetch);
        // The clock starts when the first layer's ingest appears, not at JVM start, whose time
        // varies more than a download here.
        Processes.await(
            "run " + i + "'s first ingest",
            Duration.ofSeconds(60),
            () -> !p.isAlive() || !ingestsOf(observer).isEmpty());
        long at = (long) (random.nextDouble() * fullMillis * 0.9);
        if (p.waitFor(at, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          System.out.println("run " + i + " finished before its kill at " + at + " ms");
          break;
        }
        p.destroyForcibly().waitFor();
        System.out.printf(
            "kill %d at %d ms: registry has sent %.1f MiB%n", i, at, sent(registry) / 1048576.0);
      }
      Process last = Processes.hoist(dir.resolve("last.log"), fetch);
      int rc = Processes.exitCode(last, Duration.ofMinutes(5), dir.resolve("last.log"));
      long total = image.layers().stream().mapToLong(d -> d.size()).sum();
      System.out.printf(
          "final run exit %d; blob bytes sent %.1f MiB for %.1f MiB of layers: %.3fx%n",
          rc, sent(registry) / 1048576.0, total / 1048576.0, (double) sent(registry) / total);
    }
  }

  private static long sent(TestRegistry registry) {
    return registry.requestLog().matching("GET", "/blobs/sha256:").stream()
        .mapToLong(LoggedRequest::bytesSent)
        .sum();
  }

  private static List<IngestStatus> ingestsOf(LocalContentStore store) {
    try {
      return store.ingests();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
