package dev.hoist.diff;

import dev.hoist.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Chain IDs, as the OCI image spec defines them ("Layer ChainID") and containerd's {@code
 * identity.ChainIDs}: {@code ChainID(L0) = DiffID(L0)}, {@code ChainID(Ln) = sha256(ChainID(Ln-1) +
 * " " + DiffID(Ln))}. A chain ID names a stack of layers, so it is the name of the snapshot that
 * holds them.
 */
public final class ChainIds {

  private ChainIds() {}

  /**
   * The chain ID of every prefix of {@code diffIds}.
   *
   * @param diffIds the layers' DiffIDs, bottom first
   * @return a list as long as {@code diffIds}; element i names layers 0..i
   */
  public static List<Digest> of(List<Digest> diffIds) {
    Objects.requireNonNull(diffIds, "diffIds");
    List<Digest> chain = new ArrayList<>(diffIds.size());
    Digest previous = null;
    for (Digest diffId : diffIds) {
      Objects.requireNonNull(diffId, "diffId");
      previous = previous == null ? diffId : next(previous, diffId);
      chain.add(previous);
    }
    return List.copyOf(chain);
  }

  /**
   * The chain ID of a stack {@code parent} with {@code diffId} on top.
   *
   * @param parent the chain ID of the layers below
   * @param diffId the top layer's DiffID
   * @return {@code sha256(parent + " " + diffId)}
   */
  public static Digest next(Digest parent, Digest diffId) {
    return Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
  }
}
