package dev.hoist.testkit;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures how fast a TestRegistry serves a 1 GiB blob over loopback to a plain HttpURLConnection
 * reader (1 MiB reads, bytes discarded). Not a test: run it by hand with the test classpath, {@code
 * java dev.hoist.testkit.ServeBenchmark [sizeMiB] [rounds] [dir]}; with a directory it also uploads
 * the blob there and serves the file copy. It prints the URL and waits for Enter at the end so curl
 * can be pointed at it as well.
 */
public final class ServeBenchmark {

  public static void main(String[] args) throws Exception {
    long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    TestRegistry.Builder b = TestRegistry.builder();
    if (args.length > 2) {
      b.directory(Files.createDirectories(Path.of(args[2])));
    }
    try (TestRegistry registry = b.start()) {
      long t0 = System.nanoTime();
      Blob blob = Blob.random(size, 1);
      report("digest of generated blob (one streaming pass)", size, System.nanoTime() - t0);
      registry.pushBlob("bench/blob", blob);
      String url = registry.url() + "/v2/bench/blob/blobs/" + blob.digest();
      for (int i = 0; i < rounds; i++) {
        t0 = System.nanoTime();
        long n = read(url);
        report("serve generated blob, round " + (i + 1), n, System.nanoTime() - t0);
      }
      System.out.println("generated: " + url);
      if (args.length > 2) {
        t0 = System.nanoTime();
        HttpURLConnection up =
            (HttpURLConnection)
                new URL(registry.url() + "/v2/bench/file/blobs/uploads/?digest=" + blob.digest())
                    .openConnection();
        up.setRequestMethod("POST");
        up.setDoOutput(true);
        up.setFixedLengthStreamingMode(size);
        try (InputStream in = blob.open();
            var out = up.getOutputStream()) {
          in.transferTo(out);
        }
        System.out.println("upload status " + up.getResponseCode());
        report("upload to directory", size, System.nanoTime() - t0);
        String fileUrl = registry.url() + "/v2/bench/file/blobs/" + blob.digest();
        for (int i = 0; i < rounds; i++) {
          t0 = System.nanoTime();
          long n = read(fileUrl);
          report("serve file blob, round " + (i + 1), n, System.nanoTime() - t0);
        }
        System.out.println("file: " + fileUrl);
      }
      System.out.println("press Enter to stop");
      System.in.read();
    }
  }

  private static long read(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    byte[] buf = new byte[1 << 20];
    long total = 0;
    try (InputStream in = c.getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    return total;
  }

  private static void report(String what, long bytes, long nanos) {
    double s = nanos / 1e9;
    System.out.printf(
        "%-48s %6d MiB in %6.2f s = %7.0f MiB/s%n", what, bytes >> 20, s, (bytes / 1048576.0) / s);
  }
}
