package dev.hoist.remotes.docker;

import java.io.IOException;
import java.util.List;

/**
 * Maps a reference's host (e.g. {@code docker.io}) to the ordered endpoints to try, mirrors first
 * and the registry itself last, as containerd's {@code docker.RegistryHosts}.
 */
@FunctionalInterface
public interface RegistryHosts extends AutoCloseable {

  /**
   * The endpoints for {@code host}, in the order to try them.
   *
   * @param host the host of a reference, e.g. {@code docker.io} or {@code localhost:5000}
   * @return the endpoints, mirrors first, possibly empty
   * @throws IOException when the hosts configuration cannot be read
   */
  List<RegistryHost> hosts(String host) throws IOException;

  /**
   * Releases what these hosts own (the connections of their token requests). A {@link
   * DockerResolver} closes its hosts when it is closed. The default does nothing.
   */
  @Override
  default void close() {}
}
