package dev.hoist.bench;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import java.nio.file.Path;

/**
 * The first pull of an application that embeds Hoist: a fresh JVM, whatever options it was started
 * with (bench/run gives it none), builds a resolver, a store and a {@link Client} with their
 * defaults and fetches one image once. Nothing is warmed up and no system property is set, so the
 * time is what a library user's first {@code Client.fetch} costs, JVM start and exit included.
 *
 * <pre>
 * ColdFetch REF STORE [PLATFORM]
 * </pre>
 */
public final class ColdFetch {

  private ColdFetch() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length < 2 || argv.length > 3) {
      System.err.println("usage: ColdFetch REF STORE [PLATFORM]");
      System.exit(2);
    }
    String platform = argv.length == 3 ? argv[2] : "linux/amd64";
    RemoteContext context =
        RemoteContext.builder().resolver(DockerResolver.builder().build()).platforms(platform).build();
    LocalContentStore store = LocalContentStore.open(Path.of(argv[1]));
    try (Client client = Client.builder().contentStore(store).imageStore(store).build()) {
      client.fetch(argv[0], context);
    }
  }
}
