package dev.hoist.examples;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentStore;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.images.Image;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How to unit-test your own image-pulling code without Docker, a daemon or the network: {@code
 * hoist-testkit}'s {@link TestRegistry} serves generated images ({@link Images#random(ImageSpec)})
 * on a loopback port, and an {@link InMemoryContentStore} takes the place of the on-disk store.
 *
 * <p>{@link LayerCounter} stands for "your code": it takes any {@link ContentStore}, so production
 * passes a {@code LocalContentStore} and tests pass an {@code InMemoryContentStore}. Its test,
 * {@code InMemoryTestingTest} in this module's {@code src/test}, is written as you would write
 * yours:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestRegistryExtension REGISTRY = new TestRegistryExtension();
 *
 * @Test
 * void countsTheLayersOfTheChosenPlatform() {
 *   REGISTRY.registry().push("team/app:1.0",
 *       GeneratedImages.random(ImageSpec.builder().platforms("linux/amd64", "linux/arm64/v8").layers(4, 512).build()));
 *   LayerCounter counter = new LayerCounter(new InMemoryContentStore());
 *   assertThat(counter.countLayers(REGISTRY.registry().reference("team/app:1.0"), "linux/arm64")).isEqualTo(4);
 * }
 * }</pre>
 *
 * <p>This main does the same once and prints the result: {@code java -cp hoist.jar
 * dev.hoist.examples.InMemoryTesting}.
 */
public final class InMemoryTesting {

  private InMemoryTesting() {}

  /** "Your code": fetches an image into a store and counts the layers of one platform. */
  public static final class LayerCounter {

    private final ContentStore store;

    public LayerCounter(ContentStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Fetches {@code ref} for {@code platform} and returns how many layers its manifest lists.
     *
     * @throws dev.hoist.errors.NotFoundException when the image, or a manifest for the platform,
     *     does not exist
     */
    public int countLayers(String ref, String platform) {
      RemoteContext ctx = RemoteContext.builder().platforms(platform).build();
      try (Client client = Client.builder().contentStore(store).build()) {
        Image image = client.fetch(ref, ctx);
        // core's Images (not the testkit's): picks the manifest for the platform from the store
        return dev.hoist.images.Images.manifest(store, image, ctx.platformMatcher())
            .layers()
            .size();
      }
    }
  }

  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /** Pushes a generated two-platform image to a {@link TestRegistry}, counts its arm64 layers. */
  public static int run(PrintStream out) throws IOException {
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "demo/app:1.0",
          GeneratedImages.random(
              ImageSpec.builder()
                  .platforms("linux/amd64", "linux/arm64/v8")
                  .layers(3, 1024)
                  .build()));
      String ref = registry.reference("demo/app:1.0");

      InMemoryContentStore store = new InMemoryContentStore();
      int layers = new LayerCounter(store).countLayers(ref, "linux/arm64/v8");

      AtomicInteger blobs = new AtomicInteger();
      store.walk(info -> true, info -> blobs.incrementAndGet());
      out.println(
          ref
              + ": "
              + layers
              + " layers for linux/arm64/v8; "
              + blobs
              + " blobs in the in-memory store");
      return layers;
    }
  }
}
