package dev.hoist.remotes.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hoist.client.Client;
import dev.hoist.client.RemoteContext;
import dev.hoist.content.InMemoryContentStore;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.remotes.docker.config.ConfigureHosts;
import dev.hoist.remotes.docker.config.HostOptions;
import dev.hoist.testkit.GeneratedImages;
import dev.hoist.testkit.ImageSpec;
import dev.hoist.testkit.TestImage;
import dev.hoist.testkit.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client shares one default resolver across its fetches and closes it with itself; a resolver
 * owns its threads and sockets (issue 16 item 3).
 */
@Timeout(120)
class ClientLifecycleTest {

  static TestRegistry registry;
  static final TestImage IMAGE =
      GeneratedImages.random(ImageSpec.builder().layers(3, 256 * 1024).seed(16).build());

  @BeforeAll
  static void start() {
    registry = TestRegistry.builder().bearerAuth().start();
    registry.push("life/app:1", IMAGE);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static long tokenRequests() {
    return registry.requestLog().entries().stream()
        .filter(r -> r.path().startsWith("/token"))
        .count();
  }

  @Test
  void thirtyFetchesOfOneClientShareTheDefaultResolverAndOneToken() {
    registry.requestLog().clear();
    try (Client client = Client.builder().contentStore(new InMemoryContentStore()).build()) {
      for (int i = 0; i < 30; i++) {
        // A new context each time, as callers write it; none names a resolver.
        client.fetch(registry.reference("life/app:1"), RemoteContext.builder().build());
      }
    }

    assertThat(tokenRequests()).isEqualTo(1);
  }

  @Test
  void afterCloseNoThreadAndNoSocketOfTheClientRemains() throws Exception {
    Set<Thread> before = hoistThreads();
    Client client = Client.builder().contentStore(new InMemoryContentStore()).build();
    DockerResolver chunking =
        DockerResolver.builder()
            .hosts(ConfigureHosts.from(HostOptions.builder().build()))
            .chunkSize(64 << 10)
            .chunkParallelism(3)
            .build();
    // The default resolver, and one of the caller's that fetches in chunks: both start threads.
    client.fetch(registry.reference("life/app:1"), RemoteContext.builder().build());
    Client second = Client.builder().contentStore(new InMemoryContentStore()).build();
    second.fetch(
        registry.reference("life/app:1"), RemoteContext.builder().resolver(chunking).build());
    second.close();
    assertThat(newThreads(before))
        .extracting(Thread::getName)
        .anyMatch(n -> n.startsWith("hoist-timer-"))
        .anyMatch(n -> n.startsWith("hoist-chunk-"));
    assertThat(socketsTo(registry.port())).isNotEmpty(); // kept alive in the pools

    client.close();
    chunking.close();

    for (Thread t : newThreads(before)) {
      t.join(10_000); // closing waits for them already; this only turns a leak into a clear failure
    }
    assertThat(newThreads(before)).extracting(Thread::getName).isEmpty();
    assertThat(socketsTo(registry.port())).isEmpty();
    assertThatThrownBy(() -> chunking.resolve(registry.reference("life/app:1")))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(
            () -> client.fetch(registry.reference("life/app:1"), RemoteContext.builder().build()))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * Hoist's client-side threads (the test registry in this JVM has its own, {@code
   * hoist-testkit-*}).
   */
  static Set<Thread> hoistThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            t ->
                t.getName().startsWith("hoist-")
                    && !t.getName().startsWith("hoist-testkit-")
                    && t.isAlive())
        .collect(Collectors.toSet());
  }

  static List<Thread> newThreads(Set<Thread> before) {
    return hoistThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toList());
  }

  /**
   * This process's open TCP sockets connected to {@code port} on the other end: the client's
   * sockets (the registry's own, in this JVM too, have it as their local port). Linux only.
   */
  static Set<String> socketsTo(int port) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds) && Files.exists(Path.of("/proc/net/tcp")), "Linux /proc");
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      List<String> lines = Files.readAllLines(p); // one read: the table changes all the time
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        String remote = f[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == port && !f[9].equals("0")) {
          inodes.add(f[9]);
        }
      }
    }
    Set<String> mine = new HashSet<>();
    try (Stream<Path> open = Files.list(fds)) {
      for (Path fd : (Iterable<Path>) open::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            String inode = target.substring(8, target.length() - 1);
            if (inodes.contains(inode)) {
              mine.add(inode);
            }
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return mine;
  }
}
