package dev.hoist.consumer;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.ContentInfo;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.images.Image;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.Images;
import dev.hoist.testkit.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

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
          Images.random(ImageSpec.builder().platforms("linux/amd64").layers(2, 1024).build()));
      LocalContentStore store = LocalContentStore.open(dir.resolve("store"));
      RemoteContext ctx = RemoteContext.builder().platforms("linux/amd64").build();
      try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
        Image image = client.fetch(registry.reference("consumer/app:1.0"), ctx);
        ContentInfo root = store.info(image.target().digest());
        System.out.println("module " + ModularFetch.class.getModule().getName());
        // On the module path the Docker remote is in the boot layer only because dev.hoist.core
        // uses ResolverProvider and it provides one (service binding); nothing requires it.
        System.out.println(
            "resolver module "
                + ModuleLayer.boot().findModule("dev.hoist.remotes.docker").map(Module::getName).orElse("absent"));
        System.out.println("fetched " + image.name() + " " + root.digest() + " " + root.size());
      }
    }
  }
}
