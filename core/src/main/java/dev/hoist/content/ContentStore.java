package dev.hoist.content;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Content-addressed storage: committed blobs with labels, and ingests (writes in progress).
 * Implementations are thread-safe.
 */
public interface ContentStore extends ContentProvider, Ingester {

  /**
   * What the store knows of {@code digest}.
   *
   * @throws dev.hoist.errors.NotFoundException when absent
   */
  ContentInfo info(Digest digest) throws IOException;

  /** True when {@code digest} is committed. */
  default boolean exists(Digest digest) throws IOException {
    try {
      info(digest);
      return true;
    } catch (dev.hoist.errors.NotFoundException e) {
      return false;
    }
  }

  /**
   * Merges {@code labels} into the blob's labels; a label mapped to the empty string is removed.
   *
   * @return the updated info
   * @throws dev.hoist.errors.NotFoundException when absent
   */
  ContentInfo update(Digest digest, Map<String, String> labels) throws IOException;

  /** Calls {@code visitor} for every committed blob that {@code filter} accepts. */
  void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor) throws IOException;

  /**
   * Deletes a committed blob and its labels. Images that reference it stay recorded (they are
   * incomplete then); a later fetch of such an image downloads it again. Named for what it
   * removes: a store that is also an {@link dev.hoist.images.ImageStore} has {@code
   * deleteImage(String)} beside it.
   *
   * @param digest the blob
   * @throws dev.hoist.errors.NotFoundException when absent
   * @throws IOException when the store fails
   */
  void deleteBlob(Digest digest) throws IOException;

  /** The writes in progress. */
  List<IngestStatus> ingests() throws IOException;

  /**
   * The status of one ingest.
   *
   * @throws dev.hoist.errors.NotFoundException when there is no such ingest
   */
  IngestStatus status(String ref) throws IOException;

  /**
   * Discards an ingest and its bytes.
   *
   * @throws dev.hoist.errors.NotFoundException when there is no such ingest
   */
  void abort(String ref) throws IOException;
}
