package dev.hoist.bench;

import dev.hoist.digest.Digester;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * How fast a fresh JVM hashes with {@link Digester}, fed like the store's writer is (a heap
 * buffer of {@code --buffer} bytes per call), for the cold-path measurements of issue 19. Prints
 * the hashing thread's CPU time for every 128 MiB and the total, so the moment the JIT's SHA-256 intrinsic arrives
 * shows. Run it in a fresh JVM per setting.
 *
 * <pre>
 * HashSlices [--size 1024m] [--buffer 1m]
 * </pre>
 */
public final class HashSlices {

  private HashSlices() {}

  public static void main(String[] argv) {
    long start = System.nanoTime();
    Args args = new Args(argv);
    long size = args.getSize("size", 1L << 30);
    int buffer = (int) args.getSize("buffer", 1 << 20);
    byte[] data = new byte[buffer];
    new Random(1).nextBytes(data);
    Digester d = Digester.sha256();
    long done = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long mark = cpu0;
    long t0 = System.nanoTime();
    StringBuilder steps = new StringBuilder();
    while (done < size) {
      int n = (int) Math.min(buffer, size - done);
      d.update(ByteBuffer.wrap(data, 0, n));
      done += n;
      if (done % (128L << 20) == 0) {
        long now = threads.getCurrentThreadCpuTime();
        steps.append(String.format(" %.0f", (now - mark) / 1e6));
        mark = now;
      }
    }
    String digest = d.digest().toString();
    long end = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    double process =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e6;
    System.out.printf(
        "buffer=%d hash_wall_ms=%.0f hash_cpu_ms=%.0f process_cpu_ms=%.0f jvm_wall_ms=%.0f cpu_per128MiB_ms=[%s] %s%n",
        buffer, (end - t0) / 1e6, cpu / 1e6, process, (end - start) / 1e6, steps.toString().trim(),
        digest.substring(0, 15));
  }
}
