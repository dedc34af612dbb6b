package dev.hoist.images;

import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link ImageStore} kept in memory, for tests and embedded use. Thread-safe. {@link
 * Image#createdAt()} is set on create and kept on update; {@link Image#updatedAt()} is set on both,
 * from the {@link Clock} given at construction.
 */
public final class InMemoryImageStore implements ImageStore {

  private final Clock clock;
  private final Map<String, Image> images = new TreeMap<>();

  /** A store whose timestamps come from the system clock. */
  public InMemoryImageStore() {
    this(Clock.systemUTC());
  }

  /**
   * A store whose timestamps come from {@code clock}.
   *
   * @param clock gives the creation and update times
   */
  public InMemoryImageStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<Image> get(String name) {
    Objects.requireNonNull(name, "name");
    synchronized (images) {
      return Optional.ofNullable(images.get(name));
    }
  }

  @Override
  public List<Image> list() {
    synchronized (images) {
      return List.copyOf(new ArrayList<>(images.values()));
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidArgumentException when the name is empty
   */
  @Override
  public Image create(Image image) {
    Objects.requireNonNull(image, "image");
    checkName(image.name());
    synchronized (images) {
      if (images.containsKey(image.name())) {
        throw new AlreadyExistsException("image \"" + image.name() + "\": already exists");
      }
      Instant now = clock.instant();
      Image stored = new Image(image.name(), image.target(), image.labels(), now, now);
      images.put(image.name(), stored);
      return stored;
    }
  }

  @Override
  public Image update(Image image) {
    Objects.requireNonNull(image, "image");
    checkName(image.name());
    synchronized (images) {
      Image old = images.get(image.name());
      if (old == null) {
        throw new NotFoundException("image \"" + image.name() + "\": not found");
      }
      Image stored =
          new Image(image.name(), image.target(), image.labels(), old.createdAt(), clock.instant());
      images.put(image.name(), stored);
      return stored;
    }
  }

  @Override
  public Image put(Image image) {
    Objects.requireNonNull(image, "image");
    checkName(image.name());
    // One critical section, so concurrent puts of a new name cannot both try to create it.
    synchronized (images) {
      return images.containsKey(image.name()) ? update(image) : create(image);
    }
  }

  @Override
  public void deleteImage(String name) {
    Objects.requireNonNull(name, "name");
    synchronized (images) {
      if (images.remove(name) == null) {
        throw new NotFoundException("image \"" + name + "\": not found");
      }
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw new InvalidArgumentException("image name must not be empty");
    }
  }
}
