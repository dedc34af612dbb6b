package dev.hoist.consumer;

import dev.hoist.client.Client;
import dev.hoist.client.FetchSummary;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.Blobs;
import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.digest.Digest;
import dev.hoist.images.Image;
import dev.hoist.images.Images;
import dev.hoist.platforms.PlatformMatcher;
import dev.hoist.platforms.Platforms;
import dev.hoist.spec.ImageConfig;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes a generated image to an in-process {@link TestRegistry}, fetches it into a new {@link
 * LocalContentStore} with the default (ServiceLoader-found) resolver, and prints what it did and
 * whether it ran as a named module.
 */
public final class ModularFetch {

  private ModularFetch() {}

  /**
   * Runs the fetch.
   *
   * @param args unused
   * @throws Exception when anything fails (the exit status is then non-zero)
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("hoist-consumer");
    try (TestRegistry registry = TestRegistry.start()) {
      registry.push(
          "consumer/app:1.0",
          GeneratedImages.random(
              ImageSpec.builder().platforms("linux/amd64", "linux/arm64").layers(2, 1024).build()));
      String ref = registry.reference("consumer/app:1.0");
      // The short path: one store that is both, every default (this machine's platform).
      try (Client client = Client.of(LocalContentStore.open(dir.resolve("store")))) {
        Image image = client.fetch(ref);
        System.out.println("module " + ModularFetch.class.getModule().getName());
        // On the module path the Docker remote is in the boot layer only because dev.hoist.core
        // uses ResolverProvider and it provides one (service binding); nothing requires it.
        System.out.println(
            "resolver module "
                + ModuleLayer.boot()
                    .findModule("dev.hoist.remotes.docker")
                    .map(Module::getName)
                    .orElse("absent"));
        ContentInfo root = client.contentStore().info(image.target().digest());
        System.out.println("fetched " + image.name() + " " + root.digest() + " " + root.size());

        // A summary, under a deadline: everything is present now.
        FetchSummary again =
            client.fetchWithSummary(
                ref, RemoteContext.builder().timeout(Duration.ofSeconds(30)).build());
        System.out.println(
            "second fetch up to date " + again.upToDate() + ", present " + again.present());

        // The config, read back by the image and by its digest alone.
        PlatformMatcher host = Platforms.defaultStrict();
        ImageConfig config = Images.config(client.contentStore(), image, host);
        Digest configDigest = Images.manifest(client.contentStore(), image, host).config().digest();
        byte[] raw = Blobs.readAll(client.contentStore(), configDigest, 1 << 20);
        System.out.println(
            "config " + config.os() + "/" + config.architecture() + " " + raw.length + " bytes");

        // An async fetch, cancelled: its future says so and the fetch stops.
        CompletableFuture<Image> pending = client.fetchAsync(ref, RemoteContext.builder().build());
        pending.cancel(true);
        System.out.println("async cancelled " + pending.isCancelled());
      }
    }
  }
}
