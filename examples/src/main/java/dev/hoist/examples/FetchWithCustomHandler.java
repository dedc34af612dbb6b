package dev.hoist.examples;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.images.Handler;
import dev.hoist.images.HandlerSignal;
import dev.hoist.images.Image;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steers a fetch with your own {@link Handler}s, as containerd's {@code images.Handler}s do.
 *
 * <pre>
 * java -cp hoist.jar dev.hoist.examples.FetchWithCustomHandler REF STORE_DIR MAX_LAYER_BYTES [PLATFORM]
 * </pre>
 *
 * <p>A <b>base handler</b> runs on every descriptor before the built-in fetch. This one logs each
 * layer and skips those bigger than a budget by throwing {@link HandlerSignal#SKIP_CHILDREN}: that
 * ends the handler chain for the descriptor, so the fetch handler never sees it and the layer is
 * not downloaded (the recorded image is then incomplete, as in containerd). Filtering could also
 * happen one level up, on the manifest's children, with {@link Handler#filterChildren}.
 *
 * <p>A <b>handler wrapper</b> wraps the whole chain; this one times every descriptor (fetch plus
 * reading its children). Handlers run concurrently on the download threads, so they share only
 * thread-safe state, and each line is printed with one {@code println}.
 */
public final class FetchWithCustomHandler {

  private FetchWithCustomHandler() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3 || args.length > 4 || !args[2].matches("\\d{1,18}")) {
      System.err.println("usage: FetchWithCustomHandler REF STORE_DIR MAX_LAYER_BYTES [PLATFORM]");
      System.exit(2);
    }
    try {
      run(
          args[0],
          Path.of(args[1]),
          Long.parseLong(args[2]),
          args.length == 4 ? args[3] : null,
          System.out);
    } catch (HoistException e) {
      System.err.println("FetchWithCustomHandler: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Fetches {@code ref} (for {@code platform}, or this JVM's when null) into {@code storeDir},
   * skipping layers over {@code maxLayerBytes}; prints what the handlers saw to {@code out}.
   *
   * @throws IllegalArgumentException when {@code maxLayerBytes} is negative
   */
  public static Image run(
      String ref, Path storeDir, long maxLayerBytes, String platform, PrintStream out)
      throws IOException {
    if (maxLayerBytes < 0) {
      throw new IllegalArgumentException("maxLayerBytes must not be negative: " + maxLayerBytes);
    }
    AtomicInteger kept = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    AtomicLong skippedBytes = new AtomicLong();
    Handler layerBudget =
        desc -> {
          if (MediaTypes.isLayer(desc.mediaType())) {
            if (desc.size() > maxLayerBytes) {
              out.println(
                  "skip  layer "
                      + desc.digest()
                      + " "
                      + desc.size()
                      + " bytes (over "
                      + maxLayerBytes
                      + ")");
              skipped.incrementAndGet();
              skippedBytes.addAndGet(desc.size());
              throw HandlerSignal.SKIP_CHILDREN;
            }
            out.println("fetch layer " + desc.digest() + " " + desc.size() + " bytes");
            kept.incrementAndGet();
          }
          return List.of(); // a base handler adds no children; the built-in handlers find them
        };
    RemoteContext.Builder ctx =
        RemoteContext.builder()
            .baseHandler(layerBudget)
            .handlerWrapper(
                chain ->
                    desc -> {
                      long start = System.nanoTime();
                      try {
                        return chain.handle(desc);
                      } finally {
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        out.println("  " + ms + " ms " + desc.mediaType() + " " + desc.digest());
                      }
                    });
    if (platform != null) {
      ctx.platforms(platform);
    }
    try (Client client = Client.builder().contentStore(LocalContentStore.open(storeDir)).build()) {
      Image image = client.fetch(ref, ctx.build());
      out.println(
          image.name()
              + " "
              + image.target().digest()
              + ": "
              + kept
              + " layers fetched, "
              + skipped
              + " skipped ("
              + skippedBytes
              + " bytes)");
      return image;
    }
  }
}
