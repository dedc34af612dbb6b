package dev.hoist.remotes;

import java.io.IOException;

/** Resolves references to descriptors and hands out fetchers, as containerd's {@code remotes.Resolver}. */
public interface Resolver {

  /**
   * Resolves {@code ref} to its root descriptor.
   *
   * @throws dev.hoist.errors.InvalidArgumentException when {@code ref} is malformed
   * @throws dev.hoist.errors.NotFoundException when no host knows it
   */
  Resolved resolve(String ref) throws IOException;

  /** A fetcher for the content of the repository {@code ref} names. */
  Fetcher fetcher(String ref) throws IOException;
}
