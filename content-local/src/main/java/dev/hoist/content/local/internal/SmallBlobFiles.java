package dev.hoist.content.local.internal;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How a {@link SmallBlobWriter} publishes verified bytes: one new file, {@code
 * ingest/<sha256(ref)>.tmp}, created read-only and fresh (whatever had the name is unlinked first,
 * never opened), written, {@code fdatasync}ed, then linked into {@code blobs/<alg>/} without
 * replacing anything, and the directory fsynced with the other commits (group commit): the same
 * durability as an ingest directory's commit. The temporary's name is the ref's, so only the holder
 * of the ref's slot uses it; a process killed before the link leaves it in {@code ingest/}, never
 * anything under {@code blobs/}, and the next writer of the ref or {@code removeIngestsOlderThan}
 * removes it.
 */
final class SmallBlobFiles {

  static final String SUFFIX = ".tmp";

  private static final Set<OpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private static final FileAttribute<?> READ_ONLY =
      PosixFilePermissions.asFileAttribute(PublishFiles.READ_ONLY);

  private SmallBlobFiles() {}

  /** The temporary of the ingest directory {@code ingestDir} (which need not exist). */
  static Path temporary(Path ingestDir) {
    return ingestDir.resolveSibling(ingestDir.getFileName() + SUFFIX);
  }

  /**
   * Writes {@code bytes} as the blob {@code digest}; the caller verified them.
   *
   * @return false when the blob exists already (nothing was replaced)
   */
  static boolean publish(IngestContext ctx, Path ingestDir, Digest digest, ByteBuffer bytes)
      throws IOException {
    Path target = ctx.layout().blob(digest);
    Path tmp = temporary(ingestDir);
    boolean linked = false;
    try {
      try (FileChannel ch = createFresh(tmp)) {
        while (bytes.hasRemaining()) {
          ch.write(bytes);
        }
        ctx.syncer().file(ch);
      }
      linked = PublishFiles.link(tmp, target); // removes tmp once linked
      if (linked) {
        ctx.blobDirs().sync(target.getParent()); // shared with concurrent commits
      }
      return linked;
    } finally {
      if (!linked) {
        tmp.toFile().delete();
      }
    }
  }

  /**
   * Creates the temporary as a new file: whatever has its name (a killed writer's, or anything
   * planted) is unlinked, never opened or followed, and the creation tried again. Creating first
   * and unlinking only on a collision spares the usual commit a failing unlink.
   */
  private static FileChannel createFresh(Path tmp) throws IOException {
    try {
      return create(tmp);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
      return create(tmp);
    }
  }

  /** Creates the file read-only from the start (the open descriptor can still write it). */
  private static FileChannel create(Path tmp) throws IOException {
    try {
      return FileChannel.open(tmp, CREATE, READ_ONLY);
    } catch (UnsupportedOperationException e) {
      FileChannel ch = FileChannel.open(tmp, CREATE); // no POSIX modes here (Windows)
      PublishFiles.setPermissions(tmp, PublishFiles.READ_ONLY);
      return ch;
    }
  }
}
