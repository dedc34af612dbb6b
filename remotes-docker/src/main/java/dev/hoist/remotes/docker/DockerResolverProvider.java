package dev.hoist.remotes.docker;

import dev.hoist.remotes.Resolver;
import dev.hoist.remotes.ResolverProvider;

/**
 * Supplies {@code DockerResolver.builder().build()} as the default resolver through {@link
 * java.util.ServiceLoader} (registered in {@code META-INF/services}).
 */
public final class DockerResolverProvider implements ResolverProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public DockerResolverProvider() {}

  @Override
  public Resolver defaultResolver() {
    return DockerResolver.builder().build();
  }
}
