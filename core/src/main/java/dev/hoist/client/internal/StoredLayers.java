package dev.hoist.client.internal;

import dev.hoist.content.ContentStore;
import dev.hoist.errors.NotFoundException;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;

/** Layers of an image already fetched: each must be in the store. */
public final class StoredLayers implements LayerSource {

  private final ContentStore store;
  private final String image;
  private final List<Descriptor> layers;

  /**
   * Checks {@code layers} in {@code store}.
   *
   * @param store the content store
   * @param image the image name, for messages
   * @param layers the image's layers
   */
  public StoredLayers(ContentStore store, String image, List<Descriptor> layers) {
    this.store = store;
    this.image = image;
    this.layers = layers;
  }

  @Override
  public void start(int[] indexes) {
    for (int i : indexes) {
      Descriptor layer = layers.get(i);
      try {
        if (!store.exists(layer.digest())) {
          throw new NotFoundException(
              "image "
                  + image
                  + ": layer "
                  + i
                  + " ("
                  + layer.digest()
                  + ") is not in the content store; fetch or pull the image first");
        }
      } catch (IOException e) {
        throw new dev.hoist.errors.UnknownException(
            "read " + layer.digest() + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void await(int index) {}
}
