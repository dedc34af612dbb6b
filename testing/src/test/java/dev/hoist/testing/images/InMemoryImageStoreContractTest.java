package dev.hoist.testing.images;

import dev.hoist.images.ImageStore;
import dev.hoist.images.InMemoryImageStore;
import java.nio.file.Path;

/**
 * Runs the image-store contract against core's {@link InMemoryImageStore}; its clock seam is tested
 * in core.
 */
class InMemoryImageStoreContractTest implements ImageStoreContract {

  @Override
  public ImageStore newImageStore(Path root) {
    return new InMemoryImageStore();
  }
}
