package dev.hoist.images;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Named images, as containerd's {@code images.Store}. Implementations are thread-safe. */
public interface ImageStore {

  Optional<Image> get(String name) throws IOException;

  /** All images, sorted by name. */
  List<Image> list() throws IOException;

  /**
   * Adds a new image.
   *
   * @throws dev.hoist.errors.AlreadyExistsException when the name is taken
   */
  Image create(Image image) throws IOException;

  /**
   * Replaces an existing image.
   *
   * @throws dev.hoist.errors.NotFoundException when there is no image of that name
   */
  Image update(Image image) throws IOException;

  /** Creates the image, or replaces it when the name is taken. */
  default Image put(Image image) throws IOException {
    try {
      return create(image);
    } catch (dev.hoist.errors.AlreadyExistsException e) {
      return update(image);
    }
  }

  /**
   * Removes an image record; its content stays in the content store until a garbage collection
   * ({@link dev.hoist.gc.GarbageCollector}) finds it unreferenced.
   *
   * @param name the image's full name
   * @throws dev.hoist.errors.NotFoundException when there is no image of that name
   * @throws IOException when the store fails
   */
  void deleteImage(String name) throws IOException;
}
