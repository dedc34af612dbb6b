package dev.hoist.reliability;

import dev.hoist.content.local.LocalContentStore;
import dev.hoist.remotes.docker.DockerResolver;
import java.net.http.HttpClient;
import java.nio.file.Path;

/**
 * A fetch in a process of its own, for the crash and multi-process tests: {@code FetchProcess
 * STORE_DIR REF}. Exits 0 when the image is fetched, 1 with the error on stderr otherwise.
 *
 * <p>It stands in for {@code hoist fetch --store DIR REF} until the CLI is on this branch; both
 * wire the same public API (DockerResolver, LocalContentStore, Client).
 */
public final class FetchProcess {

  private FetchProcess() {}

  public static void main(String[] args) {
    try {
      LocalContentStore store = LocalContentStore.open(Path.of(args[0]));
      DockerResolver resolver = DockerResolver.builder().httpVersion(HttpClient.Version.HTTP_1_1).build();
      Fetches.fetch(store, store, args[1], resolver);
      System.out.println("fetched " + args[1]);
      System.exit(0);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }
}
