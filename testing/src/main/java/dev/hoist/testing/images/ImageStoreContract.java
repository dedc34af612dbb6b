package dev.hoist.testing.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.images.ImageStore;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ImageStore} must have: create, get, list sorted by name, update, put,
 * delete and their errors, and the timestamps. Implement this interface in a test class and supply
 * {@link #newImageStore}; each case uses only the public API.
 */
public interface ImageStoreContract {

  /**
   * Returns a new, empty image store. Each case calls this once with its own empty directory, which
   * a store that keeps files must use as its root and an in-memory store may ignore.
   *
   * @param root an empty directory of this case
   * @return the image store under test
   * @throws IOException when the store cannot be opened
   */
  ImageStore newImageStore(Path root) throws IOException;

  /**
   * A created image reads back with its target, labels and timestamps.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void createdImageCanBeReadBack(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);
    Image image = new Image("docker.io/library/a:1", target("a"), Map.of("k", "v"), null, null);

    Image created = store.create(image);

    assertThat(created.name()).isEqualTo(image.name());
    assertThat(created.target()).isEqualTo(image.target());
    assertThat(created.labels()).containsEntry("k", "v");
    assertThat(created.createdAt()).isNotNull();
    assertThat(created.updatedAt()).isNotNull();
    assertThat(store.get(image.name())).contains(created);
  }

  /**
   * {@code get} of a name never created is empty.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void getOfUnknownNameIsEmpty(@TempDir Path root) throws IOException {
    assertThat(newImageStore(root).get("docker.io/library/none:latest")).isEmpty();
  }

  /**
   * Creating an image under a taken name throws {@code AlreadyExistsException} and keeps the first.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void createOfTakenNameThrowsAlreadyExists(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);
    store.create(Image.of("docker.io/library/a:1", target("a")));

    assertThatThrownBy(() -> store.create(Image.of("docker.io/library/a:1", target("b"))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("docker.io/library/a:1");
    assertThat(store.get("docker.io/library/a:1").orElseThrow().target()).isEqualTo(target("a"));
  }

  /**
   * {@code update} replaces target and labels and keeps the creation time.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void updateReplacesTargetAndLabelsAndKeepsCreatedAt(@TempDir Path root)
      throws IOException {
    ImageStore store = newImageStore(root);
    Image created = store.create(Image.of("docker.io/library/a:1", target("a")));

    Image updated =
        store.update(new Image("docker.io/library/a:1", target("b"), Map.of("x", "y"), null, null));

    assertThat(updated.target()).isEqualTo(target("b"));
    assertThat(updated.labels()).isEqualTo(Map.of("x", "y"));
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.updatedAt()).isNotNull();
    assertThat(store.get("docker.io/library/a:1")).contains(updated);
  }

  /**
   * Updating an image never created throws {@code NotFoundException}.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void updateOfUnknownNameThrowsNotFound(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);

    assertThatThrownBy(() -> store.update(Image.of("docker.io/library/none:1", target("a"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("docker.io/library/none:1");
    assertThat(store.list()).isEmpty();
  }

  /**
   * {@code put} creates an image, then replaces it.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void putCreatesThenReplaces(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);

    store.put(Image.of("docker.io/library/a:1", target("a")));
    store.put(Image.of("docker.io/library/a:1", target("b")));

    assertThat(store.list()).hasSize(1);
    assertThat(store.get("docker.io/library/a:1").orElseThrow().target()).isEqualTo(target("b"));
  }

  /**
   * {@code list} returns the images sorted by name.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void listIsSortedByName(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);
    store.create(Image.of("docker.io/library/c:1", target("c")));
    store.create(Image.of("docker.io/library/a:1", target("a")));
    store.create(Image.of("docker.io/library/b:1", target("b")));

    List<String> names = new ArrayList<>();
    store.list().forEach(i -> names.add(i.name()));

    assertThat(names)
        .containsExactly("docker.io/library/a:1", "docker.io/library/b:1", "docker.io/library/c:1");
  }

  /**
   * {@code delete} removes an image, and deleting an unknown name is not found.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws IOException when the store fails
   */
  @Test
  default void deleteRemovesImage(@TempDir Path root) throws IOException {
    ImageStore store = newImageStore(root);
    store.create(Image.of("docker.io/library/a:1", target("a")));

    store.deleteImage("docker.io/library/a:1");

    assertThat(store.get("docker.io/library/a:1")).isEmpty();
    assertThatThrownBy(() -> store.deleteImage("docker.io/library/a:1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("docker.io/library/a:1");
  }

  /**
   * Concurrent {@code put}s of one name all succeed and leave one image.
   *
   * @param root an empty directory of this case, for {@link #newImageStore}
   * @throws Exception when the store fails
   */
  @Test
  @Timeout(30)
  default void concurrentPutsOfOneNameLeaveOneImage(@TempDir Path root) throws Exception {
    ImageStore store = newImageStore(root);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Image>> puts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String t = "t" + i;
        puts.add(
            pool.submit(
                () -> {
                  start.await(20, TimeUnit.SECONDS);
                  return store.put(Image.of("docker.io/library/race:1", target(t)));
                }));
      }
      for (Future<Image> f : puts) {
        assertThat(f.get(25, TimeUnit.SECONDS).name()).isEqualTo("docker.io/library/race:1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list()).hasSize(1);
  }

  /**
   * A manifest descriptor to use as an image's target; its digest is derived from {@code seed}.
   *
   * @param seed what makes the digest differ
   * @return the descriptor
   */
  static Descriptor target(String seed) {
    return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(seed), 100 + seed.length());
  }
}
