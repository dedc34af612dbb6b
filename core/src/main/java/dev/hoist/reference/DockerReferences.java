package dev.hoist.reference;

/**
 * Docker's reference normalisation: {@code nginx} → {@code docker.io/library/nginx:latest}.
 * TODO(core): full docker/distribution grammar validation.
 */
public final class DockerReferences {

  private DockerReferences() {}

  /**
   * Normalises a familiar Docker reference to a full one and parses it.
   *
   * @throws dev.hoist.errors.InvalidArgumentException naming the input when it is malformed
   */
  public static Reference normalize(String s) {
    throw new UnsupportedOperationException("TODO");
  }

  /** {@link #normalize(String)} as a string. */
  public static String normalizeName(String s) {
    return normalize(s).toString();
  }
}
