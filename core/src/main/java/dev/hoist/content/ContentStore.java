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
   * @param digest the blob's digest
   * @return its size, timestamps and labels
   * @throws dev.hoist.errors.NotFoundException when absent
   * @throws IOException when the store cannot be read
   */
  ContentInfo info(Digest digest) throws IOException;

  /**
   * True when {@code digest} is committed.
   *
   * @param digest the blob's digest
   * @return whether the blob is committed (an ingest in progress does not count)
   * @throws IOException when the store cannot be read
   */
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
   * @param digest the blob's digest
   * @param labels label keys to new values, or to {@code ""} to remove the label
   * @return the updated info
   * @throws dev.hoist.errors.NotFoundException when absent
   * @throws IOException when the store cannot be written
   */
  ContentInfo update(Digest digest, Map<String, String> labels) throws IOException;

  /**
   * Calls {@code visitor} for every committed blob that {@code filter} accepts.
   *
   * @param filter chooses the blobs visited
   * @param visitor receives the info of each blob chosen
   * @throws IOException when the store cannot be read
   */
  void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> visitor) throws IOException;

  /**
   * Deletes a committed blob and its labels. Images that reference it stay recorded (they are
   * incomplete then); a later fetch of such an image downloads it again. Named for what it removes:
   * a store that is also an {@link dev.hoist.images.ImageStore} has {@code deleteImage(String)}
   * beside it.
   *
   * @param digest the blob's digest
   * @throws dev.hoist.errors.NotFoundException when absent
   * @throws IOException when the store cannot be written
   */
  void deleteBlob(Digest digest) throws IOException;

  /**
   * The writes in progress.
   *
   * @return the status of every ingest not yet committed or aborted
   * @throws IOException when the store cannot be read
   */
  List<IngestStatus> ingests() throws IOException;

  /**
   * The status of one ingest.
   *
   * @param ref the ingest ref the writer was opened with
   * @return its offset, expected size and digest, and times
   * @throws dev.hoist.errors.NotFoundException when there is no such ingest
   * @throws IOException when the store cannot be read
   */
  IngestStatus status(String ref) throws IOException;

  /**
   * Discards an ingest and its bytes.
   *
   * @param ref the ingest ref the writer was opened with
   * @throws dev.hoist.errors.NotFoundException when there is no such ingest
   * @throws IOException when the store cannot be written
   */
  void abort(String ref) throws IOException;
}
