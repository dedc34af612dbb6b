package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Gives a file whose inode other names share a private inode before its metadata changes. An
 * unpack's snapshot shares its parent's files by hard links, so a hard link entry whose mode, owner
 * and times go onto the inode it links to (containerd's {@code archive.Apply}) would otherwise
 * change the parent snapshot too. Every name of that inode inside the root moves to the copy
 * together, so hard link groups inside the root stay as they were, and the directories holding them
 * keep their mtimes.
 */
final class SharedInodes {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private SharedInodes() {}

  /**
   * Makes the inode of {@code file}, a regular file under {@code root}, private to the names it has
   * under {@code root}. Does nothing when {@code file} has one name.
   */
  static void unshare(Path root, Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
    int nlink = (Integer) Files.getAttribute(file, "unix:nlink", NOFOLLOW);
    if (!a.isRegularFile() || nlink <= 1) {
      return;
    }
    List<Path> names = namesOf(root, a.fileKey(), nlink);
    Path copy = file.resolveSibling(".hoist-unshare-" + UUID.randomUUID());
    FileTime dirTime = Files.getLastModifiedTime(file.getParent(), NOFOLLOW);
    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
    try {
      for (Path name : names) {
        FileTime t = Files.getLastModifiedTime(name.getParent(), NOFOLLOW);
        Path fresh = name.resolveSibling(".hoist-unshare-" + UUID.randomUUID());
        Files.createLink(fresh, copy);
        Files.move(
            fresh, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(name.getParent(), t);
      }
    } finally {
      Files.deleteIfExists(copy);
      Files.setLastModifiedTime(file.getParent(), dirTime);
    }
  }

  /** The names under {@code root} of the inode {@code key}; at most {@code nlink} of them. */
  private static List<Path> namesOf(Path root, Object key, int nlink) throws IOException {
    List<Path> names = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && Objects.equals(attrs.fileKey(), key)) {
              names.add(f);
            }
            return names.size() == nlink ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
          }
        });
    return names;
  }
}
