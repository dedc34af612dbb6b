package dev.hoist.unpack.internal;

import dev.hoist.unpack.internal.tar.OverlayFiles;
import dev.hoist.unpack.internal.tar.SpecialFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies a directory tree as containerd's native snapshotter does ({@code fs.CopyDir}): regular
 * files by content, directories as new directories, symlinks as symlinks, with modes (setuid,
 * setgid and sticky included), mtimes, owners (when the process may set them) and user xattrs;
 * files hardlinked inside the source are hardlinked inside the copy. Device nodes, fifos and
 * sockets cannot be made from Java: they are hardlinked to the source's node, which has no content
 * to share. Never follows a symlink.
 */
public final class TreeCopy {

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final boolean ROOT =
      dev.hoist.unpack.internal.tar.ProcessIdentity.current().isRoot();

  private TreeCopy() {}

  /**
   * Copies the contents of {@code from} into {@code to}, an existing empty directory, and gives
   * {@code to} the mode, owner and mtime of {@code from}.
   *
   * @param from the source tree
   * @param to an existing empty directory
   * @throws IOException when reading or writing fails
   */
  public static void copy(Path from, Path to) throws IOException {
    copy(from, to, Mode.COPY);
  }

  /**
   * Makes {@code to} the same tree as {@code from} with new directories and symlinks but every
   * other file a hard link to the source's inode: O(number of files) instead of O(bytes). Only for
   * a tree whose writer never changes an existing file in place (an applier replaces files and
   * unshares an inode before changing its metadata); a file that cannot be linked (too many links)
   * is copied.
   *
   * @param from the source tree
   * @param to an existing empty directory
   * @throws IOException when reading or writing fails
   */
  public static void share(Path from, Path to) throws IOException {
    copy(from, to, Mode.SHARE);
  }

  /**
   * Merges the overlay diff {@code diff} (see {@link OverlayFiles}) onto the plain tree {@code to},
   * as an overlay mount would show it over {@code to}: a whiteout deletes its name, an opaque
   * directory is emptied first, any other entry replaces what stands at its name (a directory over
   * a directory merges); files are copied (hardlinks inside the diff kept), directory attributes
   * set after their contents. Never writes a whiteout or an overlay xattr into {@code to}.
   *
   * @param diff an overlay upper directory
   * @param to an existing directory, the lower layers merged so far
   * @throws IOException when reading or writing fails
   */
  public static void merge(Path diff, Path to) throws IOException {
    copy(diff, to, Mode.MERGE);
  }

  private enum Mode {
    COPY,
    SHARE,
    MERGE
  }

  private static void copy(Path from, Path to, Mode mode) throws IOException {
    boolean share = mode == Mode.SHARE;
    boolean merge = mode == Mode.MERGE;
    Map<Object, Path> linked = new HashMap<>();
    Deque<Path[]> dirs = new ArrayDeque<>();
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path target = to.resolve(from.relativize(dir).toString());
            if (merge) {
              mergeDirectory(dir, target);
            } else if (!dir.equals(from)) {
              Files.createDirectory(target);
            }
            dirs.push(new Path[] {dir, target});
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path target = to.resolve(from.relativize(file).toString());
            if (merge) {
              delete(target);
              if (OverlayFiles.isWhiteout(file, attrs)) {
                return FileVisitResult.CONTINUE;
              }
            }
            if (attrs.isSymbolicLink()) {
              Files.createSymbolicLink(target, Files.readSymbolicLink(file));
              copyOwnerAndTimes(file, target, attrs);
              return FileVisitResult.CONTINUE;
            }
            if (share && linkOrFalse(target, file)) {
              return FileVisitResult.CONTINUE;
            }
            Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino,nlink", NOFOLLOW);
            boolean special = !attrs.isRegularFile();
            if (special || ((Integer) unix.get("nlink")) > 1) {
              Object inode = java.util.List.of(unix.get("dev"), unix.get("ino"));
              Path first = linked.get(inode);
              if (first != null) {
                Files.createLink(target, first);
                return FileVisitResult.CONTINUE;
              }
              linked.put(inode, target);
            }
            if (special && share) {
              Files.createLink(target, file);
            } else if (special) {
              recreate(file, target, attrs);
            } else {
              Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Path[] pair = dirs.pop();
            copyDirectoryAttributes(pair[0], pair[1]);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Makes {@code target} the directory for the diff's {@code dir}: an existing directory is kept
   * (emptied when {@code dir} is opaque), anything else there is replaced.
   */
  private static void mergeDirectory(Path dir, Path target) throws IOException {
    BasicFileAttributes a = lstat(target);
    if (a != null && !a.isDirectory()) {
      Files.delete(target);
      a = null;
    }
    if (a == null) {
      Files.createDirectory(target);
    } else if (OverlayFiles.isOpaque(dir)) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(target)) {
        for (Path child : children) {
          delete(child);
        }
      }
    }
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  /** Links {@code target} to {@code file}'s inode; false when the file system refuses. */
  private static boolean linkOrFalse(Path target, Path file) {
    try {
      Files.createLink(target, file);
      return true;
    } catch (IOException e) {
      return false; // EMLINK and the like: the caller copies instead
    }
  }

  private static void copyDirectoryAttributes(Path from, Path to) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(from, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
    if (ROOT) {
      Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
      Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
    }
    Files.setAttribute(to, "unix:mode", (Integer) a.get("mode") & 07777, NOFOLLOW);
    Files.setLastModifiedTime(to, (FileTime) a.get("lastModifiedTime"));
  }

  /**
   * Makes a new fifo or device node at {@code to} like {@code from}, never a hard link to it: a
   * copy may be on another filesystem (a root filesystem outside the store) and must not share the
   * snapshot's inode. A socket (which no tar carries) is not copied.
   */
  private static void recreate(Path from, Path to, BasicFileAttributes attrs) throws IOException {
    Map<String, Object> u = Files.readAttributes(from, "unix:mode,rdev", NOFOLLOW);
    int mode = (Integer) u.get("mode");
    long rdev = (Long) u.get("rdev");
    boolean made;
    switch (mode & S_IFMT) {
      case S_IFIFO -> made = SpecialFiles.mkfifo(to, mode & 07777);
      case S_IFCHR, S_IFBLK -> {
        // Linux's dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        made = SpecialFiles.mknod(to, (mode & S_IFMT) == S_IFCHR ? 'c' : 'b', major, minor, mode);
      }
      default -> {
        return;
      }
    }
    if (!made) {
      throw new IOException("cannot create " + to + " like " + from);
    }
    if (ROOT) {
      Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid", NOFOLLOW);
      Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
      Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
    }
    // The mode is mknod's and mkfifo's -m (exact, not less the umask): the JDK's chmod without
    // following links opens the file, which blocks on a fifo. touch -h does not open it either.
    SpecialFiles.touch(to, attrs.lastModifiedTime());
  }

  private static void copyOwnerAndTimes(Path from, Path to, BasicFileAttributes attrs)
      throws IOException {
    if (ROOT) {
      Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid", NOFOLLOW);
      Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
      Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
    }
    Files.getFileAttributeView(to, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(attrs.lastModifiedTime(), null, null);
  }

  /**
   * Deletes {@code root} and everything under it, never following a symlink; first makes read-only
   * directories writable so that an unprivileged process can empty them. A missing {@code root} is
   * not an error.
   *
   * @param root the tree to delete
   * @throws IOException when deleting fails
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!ROOT && !Files.isWritable(dir)) {
              Files.setAttribute(dir, "unix:mode", 0700, NOFOLLOW);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof java.nio.file.NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Inodes and bytes of regular files under {@code root}, each inode counted once.
   *
   * @param root the tree
   * @return {@code long[]{inodes, bytes}}
   * @throws IOException when reading fails
   */
  public static long[] usage(Path root) throws IOException {
    long[] totals = new long[2];
    java.util.Set<Object> seen = new java.util.HashSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            totals[0]++;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (seen.add(attrs.fileKey() == null ? file : attrs.fileKey())) {
              totals[0]++;
              if (attrs.isRegularFile()) {
                totals[1] += attrs.size();
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return totals;
  }
}
