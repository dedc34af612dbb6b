package dev.hoist.remotes.docker.config;

import java.util.List;

/**
 * The endpoints set in code for one registry, as a {@code hosts.toml} would list them: mirrors
 * tried in order for pulls and resolves, then the server.
 *
 * @param mirrors mirror URLs ({@code [host."<url>"]} with {@code capabilities = ["pull",
 *     "resolve"]}), in the order they are tried
 * @param server the server URL ({@code server = "<url>"}), or null for the registry's default
 */
public record RegistryEndpoints(List<String> mirrors, String server) {

  /**
   * Copies the mirrors.
   *
   * @param mirrors mirror URLs, in the order they are tried
   * @param server the server URL, or null for the registry's default
   */
  public RegistryEndpoints {
    mirrors = List.copyOf(mirrors);
  }
}
