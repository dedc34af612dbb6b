package dev.hoist.remotes;

import java.io.IOException;

/**
 * Resolves references to descriptors and hands out fetchers, as containerd's {@code
 * remotes.Resolver}. A resolver may own connections and threads: {@link #close()} releases them.
 */
public interface Resolver extends AutoCloseable {

  /**
   * Resolves {@code ref} to its root descriptor.
   *
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} is malformed
   * @throws dev.hoist.errors.NotFoundException when no host knows it
   */
  Resolved resolve(String ref) throws IOException;

  /** A fetcher for the content of the repository {@code ref} names. */
  Fetcher fetcher(String ref) throws IOException;

  /**
   * Releases what this resolver owns (pooled connections, threads); later calls may fail.
   * Fetches still running may fail. The default does nothing.
   */
  @Override
  default void close() {}
}
