package dev.hoist.cli.progress;

/**
 * One row of the progress table, a snapshot.
 *
 * @param key e.g. {@code layer-sha256:…}
 * @param state where the blob's download stands
 * @param offset bytes in the store so far
 * @param total the blob's size
 * @param unpack where the layer's unpack stands (a pull's layers only)
 */
public record BlobRow(String key, BlobState state, long offset, long total, UnpackState unpack) {

  /**
   * A row of a fetch, which unpacks nothing.
   *
   * @param key e.g. {@code layer-sha256:…}
   * @param state where the blob's download stands
   * @param offset bytes in the store so far
   * @param total the blob's size
   */
  public BlobRow(String key, BlobState state, long offset, long total) {
    this(key, state, offset, total, UnpackState.NONE);
  }

  /**
   * The word the table shows: the unpack's once the download is finished and the unpack has begun.
   *
   * @return e.g. {@code downloading}, {@code done}, {@code unpacking}
   */
  public String label() {
    return unpack != UnpackState.NONE && state.finished() ? unpack.label() : state.label();
  }
}
