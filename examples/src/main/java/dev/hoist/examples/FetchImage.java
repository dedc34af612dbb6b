package dev.hoist.examples;

import dev.hoist.client.Client;
import dev.hoist.client.ProgressListener;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The basic fetch: {@link Client#fetch} of one reference into a {@link LocalContentStore} (an OCI
 * image layout on disk), as {@code ctr content fetch} does.
 *
 * <pre>
 * java -cp hoist.jar dev.hoist.examples.FetchImage REF STORE_DIR [PLATFORM]
 * java -cp hoist.jar dev.hoist.examples.FetchImage alpine:3.20 /tmp/store linux/arm64
 * </pre>
 *
 * <p>Without a platform, the platform of this JVM is fetched. No resolver is set, so the default
 * one is used: {@code hoist-remotes-docker}'s, found on the class path, which speaks HTTPS, or
 * plain HTTP to localhost and loopback addresses. A small {@link ProgressListener} counts the
 * blobs; it is called from the download threads, hence the atomic counters. Prints the image name,
 * its digest and how many blobs it took.
 */
public final class FetchImage {

  private FetchImage() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: FetchImage REF STORE_DIR [PLATFORM]");
      System.exit(2);
    }
    try {
      run(args[0], Path.of(args[1]), args.length == 3 ? args[2] : null, System.out);
    } catch (
        HoistException
            e) { // typed: NotFoundException, UnauthorizedException, UnavailableException, ...
      System.err.println("FetchImage: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Fetches {@code ref} (for {@code platform}, or this JVM's when null) into the store at {@code
   * storeDir}, prints a summary to {@code out} and returns the recorded image.
   */
  public static Image run(String ref, Path storeDir, String platform, PrintStream out)
      throws IOException {
    LocalContentStore store = LocalContentStore.open(storeDir);
    AtomicInteger downloaded = new AtomicInteger();
    AtomicInteger present = new AtomicInteger();
    RemoteContext.Builder ctx =
        RemoteContext.builder()
            .progress(
                new ProgressListener() {
                  @Override
                  public void done(Descriptor desc) {
                    downloaded.incrementAndGet();
                  }

                  @Override
                  public void exists(Descriptor desc) {
                    present.incrementAndGet();
                  }
                });
    if (platform != null) {
      ctx.platforms(platform);
    }
    try (Client client = Client.builder().contentStore(store).build()) {
      Image image = client.fetch(ref, ctx.build());
      out.println("image:  " + image.name());
      out.println("digest: " + image.target().digest());
      out.println(
          "blobs:  "
              + (downloaded.get() + present.get())
              + " ("
              + downloaded.get()
              + " downloaded, "
              + present.get()
              + " already in "
              + storeDir
              + ")");
      return image;
    }
  }
}
