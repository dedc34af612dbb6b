package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

/** Recursive removal that never follows a symlink (a link inside the tree is removed itself). */
final class Removal {

  private Removal() {}

  /** Deletes the directory {@code dir} and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            // Without root, a read-only lower directory (0555) cannot be emptied: open it up first.
            if (!ProcessIdentity.current().isRoot()) {
              PosixFileAttributes pa =
                  Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
              int mode = Modes.toInt(pa.permissions());
              if ((mode & 0700) != 0700) {
                Files.setPosixFilePermissions(d, Modes.toSet(mode | 0700));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            if (e instanceof AccessDeniedException) {
              delete(f); // an unreadable directory may still be empty
              return FileVisitResult.CONTINUE;
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void delete(Path p) throws IOException {
    try {
      Files.delete(p);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }
}
