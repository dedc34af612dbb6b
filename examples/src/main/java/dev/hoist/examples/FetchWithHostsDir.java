package dev.hoist.examples;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.local.LocalContentStore;
import dev.hoist.errors.HoistException;
import dev.hoist.images.Image;
import dev.hoist.reference.DockerReferences;
import dev.hoist.remotes.docker.DockerResolver;
import dev.hoist.remotes.docker.HostCapability;
import dev.hoist.remotes.docker.RegistryHost;
import dev.hoist.remotes.docker.RegistryHosts;
import dev.hoist.remotes.docker.auth.DockerConfigCredentials;
import dev.hoist.remotes.docker.config.ConfigureHosts;
import dev.hoist.remotes.docker.config.HostOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Mirrors, TLS and credentials from a containerd-style hosts directory, the way containerd's {@code
 * /etc/containerd/certs.d} works, with credentials from Docker's {@code config.json}.
 *
 * <pre>
 * java -cp hoist.jar dev.hoist.examples.FetchWithHostsDir REF HOSTS_DIR STORE_DIR [PLATFORM]
 * </pre>
 *
 * <p>For {@code docker.io/library/alpine:3.20}, {@code HOSTS_DIR/docker.io/hosts.toml} might read:
 *
 * <pre>
 * server = "https://registry-1.docker.io"
 *
 * [host."https://mirror.internal:5000"]      # tried first, in file order
 *   capabilities = ["pull", "resolve"]
 *   ca = "mirror-ca.crt"                      # relative to this directory
 *   client = [["client.cert", "client.key"]]  # mutual TLS
 *
 * [host."http://127.0.0.1:5001"]
 *   capabilities = ["pull"]                   # blobs only: tags are not resolved here
 * </pre>
 *
 * <p>Mirrors are tried in order and the {@code server} last; a directory without {@code hosts.toml}
 * may hold {@code *.crt} CAs and {@code *.cert}/{@code *.key} pairs, as Docker's {@code certs.d}.
 * The program prints the endpoints the directory gives for the image's registry, in the order they
 * are tried, then fetches through them.
 */
public final class FetchWithHostsDir {

  private FetchWithHostsDir() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: FetchWithHostsDir REF HOSTS_DIR STORE_DIR [PLATFORM]");
      System.exit(2);
    }
    try {
      run(
          args[0],
          Path.of(args[1]),
          Path.of(args[2]),
          args.length == 4 ? args[3] : null,
          System.out);
    } catch (HoistException e) {
      System.err.println("FetchWithHostsDir: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Fetches {@code ref} into {@code storeDir} through the endpoints {@code hostsDir} configures.
   */
  public static Image run(
      String ref, Path hostsDir, Path storeDir, String platform, PrintStream out)
      throws IOException {
    RegistryHosts hosts =
        ConfigureHosts.from(
            HostOptions.builder()
                .hostsDir(hostsDir)
                .credentials(DockerConfigCredentials.load())
                .build());

    String registry = DockerReferences.normalize(ref).hostname();
    for (RegistryHost host : hosts.hosts(registry)) {
      String can =
          Arrays.stream(HostCapability.values())
              .filter(host::has)
              .map(c -> c.name().toLowerCase())
              .collect(Collectors.joining(","));
      out.println(registry + " -> " + host.root() + " [" + can + "]");
    }

    RemoteContext.Builder ctx =
        RemoteContext.builder().resolver(DockerResolver.builder().hosts(hosts).build());
    if (platform != null) {
      ctx.platforms(platform);
    }
    try (Client client = Client.builder().contentStore(LocalContentStore.open(storeDir)).build()) {
      Image image = client.fetch(ref, ctx.build());
      out.println("fetched " + image.name() + " " + image.target().digest());
      return image;
    }
  }
}
