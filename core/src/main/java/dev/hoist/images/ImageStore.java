package dev.hoist.images;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Named images, as containerd's {@code images.Store}. Implementations are thread-safe. */
public interface ImageStore {

  /**
   * Looks up an image by name.
   *
   * @param name the full normalised name
   * @return the image, or empty when there is none of that name
   * @throws IOException when the store cannot be read
   */
  Optional<Image> get(String name) throws IOException;

  /**
   * Lists the images.
   *
   * @return all images, sorted by name
   * @throws IOException when the store cannot be read
   */
  List<Image> list() throws IOException;

  /**
   * Adds a new image.
   *
   * @param image the image to record; its timestamps are ignored
   * @return the image as stored, with its creation and update times set
   * @throws dev.hoist.errors.AlreadyExistsException when the name is taken
   * @throws IOException when the store cannot be written
   */
  Image create(Image image) throws IOException;

  /**
   * Replaces an existing image.
   *
   * @param image the new target and labels for the image of that name; its timestamps are ignored
   * @return the image as stored, keeping the original creation time
   * @throws dev.hoist.errors.NotFoundException when there is no image of that name
   * @throws IOException when the store cannot be written
   */
  Image update(Image image) throws IOException;

  /**
   * Creates the image, or replaces it when the name is taken.
   *
   * @param image the image to record; its timestamps are ignored
   * @return the image as stored
   * @throws IOException when the store cannot be written
   */
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
   * @param name the full normalised name
   * @throws dev.hoist.errors.NotFoundException when there is no image of that name
   * @throws IOException when the store cannot be written
   */
  void deleteImage(String name) throws IOException;
}
