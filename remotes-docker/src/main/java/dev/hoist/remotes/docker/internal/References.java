package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.reference.DockerReferences;
import dev.hoist.reference.Reference;

/** Reference normalisation for the resolver. */
public final class References {

  private References() {}

  /**
   * Docker-normalises {@code ref}; a null or malformed one is an {@link InvalidArgumentException}.
   */
  public static Reference normalize(String ref) {
    if (ref == null) {
      throw new InvalidArgumentException("invalid reference: null");
    }
    return DockerReferences.normalize(ref);
  }
}
