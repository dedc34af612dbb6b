package dev.hoist.remotes;

/**
 * Service-provider interface, found with {@link java.util.ServiceLoader}: supplies the default
 * resolver when a {@code RemoteContext} is built without one. {@code hoist-remotes-docker}
 * registers one.
 */
public interface ResolverProvider {

  /** {@return a resolver with default configuration} */
  Resolver defaultResolver();
}
