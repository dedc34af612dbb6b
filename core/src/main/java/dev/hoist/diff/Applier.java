package dev.hoist.diff;

import dev.hoist.content.ContentProvider;
import dev.hoist.digest.Digest;
import dev.hoist.snapshots.Mount;
import dev.hoist.spec.Descriptor;
import java.io.IOException;
import java.util.List;

/**
 * Applies one layer onto mounted snapshot contents, as containerd's {@code diff.Applier}. The
 * layer's bytes come from a {@link ContentProvider}; the uncompressed stream is hashed while it is
 * applied. Implementations are thread-safe.
 *
 * <p>An applier never changes an existing non-directory file in place: it replaces the file (or,
 * before giving a hard link entry's metadata to an inode that other names share, gives the names a
 * private copy first). Snapshotters rely on this: an unpack's active snapshot may share its
 * parent's files by hard links ({@link dev.hoist.snapshots.SnapshotLabels#TRANSIENT}).
 */
@FunctionalInterface
public interface Applier {

  /**
   * Applies {@code layer} onto {@code mounts} (what {@link dev.hoist.snapshots.Snapshotter#prepare}
   * returned) and returns the digest of the uncompressed layer, its DiffID. The caller compares it
   * with the image config's; on a mismatch it discards the snapshot.
   *
   * @param layer the layer descriptor (its media type says how it is compressed)
   * @param provider where the layer blob is read from
   * @param mounts the active snapshot's mounts
   * @return the DiffID computed while applying
   * @throws IOException when reading the layer or writing the files fails
   * @throws dev.hoist.errors.InvalidArgumentException when the layer is malformed or hostile
   * @throws dev.hoist.errors.NotImplementedException when the mounts or media type are not
   *     supported
   * @throws dev.hoist.errors.DigestMismatchException when the applier was told the expected DiffID
   */
  Digest apply(Descriptor layer, ContentProvider provider, List<Mount> mounts) throws IOException;
}
