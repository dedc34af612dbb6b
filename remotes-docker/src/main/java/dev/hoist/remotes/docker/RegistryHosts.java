package dev.hoist.remotes.docker;

import java.io.IOException;
import java.util.List;

/**
 * Maps a reference's host (e.g. {@code docker.io}) to the ordered endpoints to try, mirrors first
 * and the registry itself last, as containerd's {@code docker.RegistryHosts}.
 */
@FunctionalInterface
public interface RegistryHosts {

  List<RegistryHost> hosts(String host) throws IOException;
}
