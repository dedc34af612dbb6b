package dev.hoist.remotes;

import java.io.IOException;

/**
 * Resolves references to descriptors and hands out fetchers, as containerd's {@code
 * remotes.Resolver}. A resolver may own connections and threads: {@link #close()} releases them.
 *
 * <p>Implementations must be safe for concurrent use: one resolver is typically shared by every
 * fetch of an application, and the fetchers it hands out are called from several threads at once.
 */
public interface Resolver extends AutoCloseable {

  /**
   * The full name {@code ref} stands for, before it is resolved: the resolver owns its reference
   * syntax. The default is Docker's normalisation ({@code alpine} → {@code
   * docker.io/library/alpine:latest}), what registry resolvers want; a resolver with its own syntax
   * (an OCI layout, a file) overrides it, for instance to return {@code ref} unchanged, as
   * containerd passes references through.
   *
   * @param ref the reference the caller gave
   * @return the name to resolve and record the image under
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} is malformed
   */
  default String normalize(String ref) {
    return dev.hoist.reference.DockerReferences.normalize(ref).toString();
  }

  /**
   * Resolves {@code ref} to its root descriptor.
   *
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} is malformed
   * @param ref the reference, e.g. {@code docker.io/library/nginx:latest}
   * @return the normalised name and the root descriptor it points to
   * @throws dev.hoist.errors.NotFoundException when no host knows it
   * @throws IOException when the remote cannot be reached or read
   */
  Resolved resolve(String ref) throws IOException;

  /**
   * A fetcher for the content of the repository {@code ref} names.
   *
   * @param ref a reference in the repository, usually {@link Resolved#name()}
   * @return the fetcher, safe for concurrent use
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} is malformed
   * @throws IOException when the fetcher cannot be set up
   */
  Fetcher fetcher(String ref) throws IOException;

  /**
   * Releases what this resolver owns (pooled connections, threads); later calls may fail. Fetches
   * still running may fail. The default does nothing.
   */
  @Override
  default void close() {}
}
