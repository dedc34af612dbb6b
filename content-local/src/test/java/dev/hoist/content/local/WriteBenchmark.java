package dev.hoist.content.local;

import dev.hoist.content.ContentWriter;
import dev.hoist.content.local.internal.FileOps;
import dev.hoist.digest.Digest;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Write/commit throughput of {@link LocalContentStore} (a harness, not a test): 1 GiB written in 1
 * MiB chunks, hashed, fsynced and committed, beside {@code cat} to a file and {@code openssl dgst
 * -sha256} of a 1 GiB file measured in the same run on the same disk.
 *
 * <pre>java -cp &lt;test classpath&gt; dev.hoist.content.local.WriteBenchmark [dir] [rounds]</pre>
 */
public final class WriteBenchmark {

  private static final int CHUNK = 1 << 20;
  private static final int CHUNKS = 1024;
  private static final long TOTAL = (long) CHUNK * CHUNKS;

  private WriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path base =
        Files.createTempDirectory(
            args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")),
            "hoist-bench");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    byte[] chunk = new byte[CHUNK];
    new Random(1).nextBytes(chunk);
    try {
      Path src = base.resolve("source-1GiB");
      try (OutputStream out = Files.newOutputStream(src)) {
        for (int i = 0; i < CHUNKS; i++) {
          out.write(chunk);
        }
      }
      for (int r = 1; r <= rounds; r++) {
        Path root = base.resolve("store-" + r);
        LocalContentStore store = LocalContentStore.open(root);
        ByteBuffer buf = ByteBuffer.wrap(chunk);
        long t0 = System.nanoTime();
        Digest d;
        try (ContentWriter w =
            store.writer(
                "bench-" + r,
                Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256("unknown " + r), TOTAL))) {
          for (int i = 0; i < CHUNKS; i++) {
            buf.clear();
            w.write(buf);
          }
          d = w.digest();
          w.commit(TOTAL, d, Map.of());
        }
        report(
            "LocalContentStore write+sha256+fsync+commit (round " + r + ")",
            System.nanoTime() - t0);
        FileOps.deleteTree(root);
      }
      smallBlobs(base.resolve("small"), 500);
      Path dst = base.resolve("cat-copy");
      report("cat source > file (no fsync)", time("cat '" + src + "' > '" + dst + "'"));
      Files.delete(dst);
      report(
          "cat source > file; sync",
          time("cat '" + src + "' > '" + dst + "' && sync '" + dst + "'"));
      report("openssl dgst -sha256 source", time("openssl dgst -sha256 '" + src + "' > /dev/null"));
    } finally {
      FileOps.deleteTree(base);
    }
  }

  /** Commits {@code n} 1 KiB blobs: the per-blob cost of locks, bookkeeping and fsyncs. */
  private static void smallBlobs(Path root, int n) throws IOException {
    LocalContentStore store = LocalContentStore.open(root);
    byte[] data = new byte[1024];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      data[0] = (byte) i;
      data[1] = (byte) (i >> 8);
      Descriptor desc = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(data), data.length);
      try (ContentWriter w = store.writer("small-" + i, desc)) {
        w.write(ByteBuffer.wrap(data));
        w.commit(data.length, desc.digest(), Map.of());
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%-58s %7.2f s %8.0f blobs/s%n", n + " x 1 KiB blobs write+commit", s, n / s);
    FileOps.deleteTree(root);
  }

  private static long time(String shell) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    int rc = new ProcessBuilder("sh", "-c", shell).inheritIO().start().waitFor();
    long t = System.nanoTime() - t0;
    if (rc != 0) {
      throw new IOException("exit " + rc + ": " + shell);
    }
    return t;
  }

  private static void report(String what, long nanos) {
    double s = nanos / 1e9;
    System.out.printf("%-58s %7.2f s %8.1f MiB/s%n", what, s, (TOTAL / 1048576.0) / s);
  }
}
