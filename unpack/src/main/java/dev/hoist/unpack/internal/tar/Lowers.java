package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * The lower layers of an overlay apply: the read-only diffs under the upper directory a layer is
 * written into. Only consulted where the merged view matters (docker's overlay2 {@code ApplyDiff}
 * untars into the upper directory the same way): a directory an entry needs but the tar does not
 * list, a hardlink to a lower file, a whiteout of a lower name. Lookups walk the lowers top-down
 * and stop at a whiteout of any prefix or below an opaque prefix directory, like the kernel's; they
 * never follow a symlink: a symlinked prefix in a lower counts as "not a directory", so the upper
 * entry shadows it (as docker's overlay2 does; the native path would write through the link, inside
 * the root). Nothing under a lower is ever written. Not thread-safe.
 */
final class Lowers {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final boolean ROOT = ProcessIdentity.current().isRoot();

  private final Path upper;
  private final List<Path> dirs;
  private Runnable ready;

  /**
   * @param upper the real path of the upper directory
   * @param dirs the lower directories, nearest (top) first
   * @param ready run (once) before the lowers are first read: waits until they are complete (the
   *     parent of a pipelined unpack being committed) or throws; null when they are
   */
  Lowers(Path upper, List<Path> dirs, Runnable ready) {
    this.upper = upper;
    this.dirs = List.copyOf(dirs);
    this.ready = ready;
  }

  /** Waits, the first time, until the lower directories may be read. */
  private void awaitReady() {
    if (ready != null) {
      ready.run();
      ready = null;
    }
  }

  /**
   * The lower path an overlay mount would show at {@code rel} when the upper directory has nothing
   * there, or null when no lower shows anything (or an upper prefix hides the lowers).
   *
   * @param rel a clean root-relative name, not empty
   */
  Path find(String rel) throws IOException {
    awaitReady();
    String[] parts = rel.split("/");
    Path u = upper;
    for (int i = 0; i < parts.length - 1; i++) {
      u = u.resolve(parts[i]);
      BasicFileAttributes a = RootResolver.lstat(u);
      if (a != null && (!a.isDirectory() || OverlayFiles.isOpaque(u))) {
        return null; // an upper non-directory or opaque directory hides every lower below it
      }
    }
    for (Path lower : dirs) {
      Path p = lower;
      boolean opaque = false;
      for (int i = 0; i < parts.length; i++) {
        p = p.resolve(parts[i]);
        BasicFileAttributes a = RootResolver.lstat(p);
        if (a == null) {
          break;
        }
        if (OverlayFiles.isWhiteout(p, a)) {
          return null;
        }
        if (i == parts.length - 1) {
          return p;
        }
        if (!a.isDirectory()) {
          return null; // a file or a symlink here hides the lower layers' directory
        }
        opaque |= OverlayFiles.isOpaque(p);
      }
      if (opaque) {
        return null;
      }
    }
    return null;
  }

  /** Whether the lowers show a directory at {@code rel} (see {@link #find}). */
  boolean isDirectory(String rel) throws IOException {
    Path p = find(rel);
    BasicFileAttributes a = p == null ? null : RootResolver.lstat(p);
    return a != null && a.isDirectory();
  }

  /**
   * Creates the directory {@code p} (upper {@code rel}) that an entry needs: with the mode, owner
   * and mtime of the lower directory at {@code rel} when there is one (a copy-up of its metadata,
   * so the merged view keeps them; creating children bumps the mtime as the kernel's copy-up does),
   * else as a new directory.
   */
  void makeDirectory(String rel, Path p) throws IOException {
    Path lower = find(rel);
    BasicFileAttributes a = lower == null ? null : RootResolver.lstat(lower);
    if (a == null || !a.isDirectory()) {
      Files.createDirectory(p);
      return;
    }
    Map<String, Object> u = Files.readAttributes(lower, "unix:mode,uid,gid", NOFOLLOW);
    Files.createDirectory(p);
    if (ROOT) {
      Files.setAttribute(p, "unix:uid", u.get("uid"), NOFOLLOW);
      Files.setAttribute(p, "unix:gid", u.get("gid"), NOFOLLOW);
    }
    EntryAttributes.chmod(p, (Integer) u.get("mode") & 07777);
    Files.setLastModifiedTime(p, a.lastModifiedTime());
  }

  /**
   * The other names, relative to their lower directory, that the lower regular file {@code lower}
   * has in the lower directory holding it and that the merged view still shows (not shadowed by an
   * upper or a nearer lower entry, and not already in the upper directory). A copy-up gives them
   * the copied inode too, as the native path moves every name of an inode it unshares.
   */
  List<String> visibleNamesOf(Path lower) throws IOException {
    awaitReady();
    int nlink = (Integer) Files.getAttribute(lower, "unix:nlink", NOFOLLOW);
    if (nlink <= 1) {
      return List.of();
    }
    Path base = null;
    for (Path d : dirs) {
      if (lower.startsWith(d)) {
        base = d;
        break;
      }
    }
    Object key = Files.readAttributes(lower, BasicFileAttributes.class, NOFOLLOW).fileKey();
    List<String> names = new java.util.ArrayList<>();
    try (var walk = Files.walk(base)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes a = RootResolver.lstat(p);
        if (a != null
            && a.isRegularFile()
            && key.equals(a.fileKey())
            && !p.equals(lower)
            && RootResolver.lstat(upper.resolve(base.relativize(p).toString())) == null
            && p.equals(find(base.relativize(p).toString()))) {
          names.add(base.relativize(p).toString());
        }
      }
    }
    return names;
  }

  /**
   * Copies the lower entry {@code lower} (a regular file or a symlink) up to {@code p} in the upper
   * directory, with its attributes, for a hardlink entry to link to.
   *
   * @param entry the tar entry, for messages
   * @throws InvalidArgumentException when {@code lower} is a device, fifo or socket
   */
  static void copyUp(Path lower, Path p, String entry) throws IOException {
    BasicFileAttributes a = RootResolver.lstat(lower);
    if (a.isSymbolicLink()) {
      Files.createSymbolicLink(p, Files.readSymbolicLink(lower));
      if (ROOT) {
        Map<String, Object> u = Files.readAttributes(lower, "unix:uid,gid", NOFOLLOW);
        Files.setAttribute(p, "unix:uid", u.get("uid"), NOFOLLOW);
        Files.setAttribute(p, "unix:gid", u.get("gid"), NOFOLLOW);
      }
      return;
    }
    if (!a.isRegularFile()) {
      throw new InvalidArgumentException(
          "tar entry "
              + EntryNames.quote(entry)
              + ": hardlink to a lower layer's device node or fifo; use the native snapshotter");
    }
    Files.copy(lower, p, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
  }
}
