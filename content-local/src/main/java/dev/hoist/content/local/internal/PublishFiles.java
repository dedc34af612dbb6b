package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** How {@link LocalWriter} publishes an ingest's data file as a blob: modes, identity, the link. */
final class PublishFiles {

  static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
  static final Set<PosixFilePermission> READ_WRITE = PosixFilePermissions.fromString("rw-r--r--");

  private PublishFiles() {}

  /** Links into {@code blobs/<alg>/}, creating that directory on first use only. */
  static boolean link(Path src, Path target) throws IOException {
    // Into a real directory of ours only: a link planted as blobs/<alg> would publish elsewhere.
    OwnFiles.requireOwnDirectory(target.getParent(), "content store directory");
    try {
      return FileOps.linkOrMoveNoReplace(src, target);
    } catch (NoSuchFileException e) {
      // Missing directory (or made just now by a concurrent first commit): make sure, then retry
      // once; a missing source fails again the same way.
      Files.createDirectories(target.getParent());
      return FileOps.linkOrMoveNoReplace(src, target);
    }
  }

  /** The identity (device and inode) of the entry itself, or null when there is none. */
  static Object fileKey(Path p) throws IOException {
    OwnFiles.Entry e = OwnFiles.lstat(p);
    if (e == null || !e.attrs().isRegularFile()) {
      return null;
    }
    return e.attrs().fileKey() != null
        ? e.attrs().fileKey()
        : p; // no file keys here: the path must do
  }

  static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(perms); // the file itself (opened O_NOFOLLOW), never a link's target
    } else {
      p.toFile().setWritable(perms.contains(PosixFilePermission.OWNER_WRITE));
    }
  }
}
