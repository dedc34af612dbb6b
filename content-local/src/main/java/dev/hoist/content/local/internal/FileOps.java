package dev.hoist.content.local.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Durable file primitives: atomic replace, directory fsync, recursive delete. */
public final class FileOps {

  /** Suffix of temporary files written by {@link #writeAtomically}; never a valid blob name. */
  public static final String TMP_SUFFIX = ".tmp";

  private FileOps() {}

  /**
   * Replaces {@code target} with {@code bytes} so that a crash at any point leaves either the old
   * or the new file, never a torn one: write a temporary sibling, fsync it, rename it over the
   * target, fsync the directory.
   */
  public static void writeAtomically(Path target, byte[] bytes) throws IOException {
    writeAtomically(target, bytes, true);
  }

  /**
   * As {@link #writeAtomically(Path, byte[])}; without {@code durable} nothing is fsynced, so an OS
   * crash may lose the new content (or leave an empty file) but a process crash cannot tear it. For
   * files whose loss only costs a restart, such as an ingest's bookkeeping.
   */
  public static void writeAtomically(Path target, byte[] bytes, boolean durable)
      throws IOException {
    Path dir = target.getParent();
    Path tmp = null;
    boolean moved = false;
    try {
      FileChannel created = null;
      // CREATE_NEW follows no link and takes no existing file, so the name only has to be unlikely
      // to collide, not secret: ThreadLocalRandom, not UUID's SecureRandom (whose seeding costs a
      // fresh JVM milliseconds on the store's first write).
      for (int attempt = 1; created == null; attempt++) {
        tmp = dir.resolve(target.getFileName() + "." + tmpId() + TMP_SUFFIX);
        try {
          created = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          tmp = null; // not ours: must not be deleted below
          if (attempt >= 3) {
            throw e;
          }
        }
      }
      try (FileChannel ch = created) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (durable) {
          ch.force(true);
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved && tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
    if (durable) {
      fsyncDirectory(dir);
    }
  }

  /** 16 random hex digits for a temporary file's name. */
  static String tmpId() {
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return "0".repeat(16 - hex.length()) + hex;
  }

  /**
   * Flushes a directory's entries (a rename or a new link) to disk. Some platforms cannot open a
   * directory for syncing; there the rename is as durable as the file system makes it anyway.
   */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      // Windows: directories cannot be opened as channels; nothing more to do there.
    }
  }

  /** Deletes {@code path} and everything below it; a missing path is fine. */
  public static void deleteTree(Path path) throws IOException {
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path e : entries) {
          deleteTree(e);
        }
      } catch (NoSuchFileException e) {
        return;
      }
    }
    Files.deleteIfExists(path);
  }

  /**
   * Deletes {@code path} and everything below it, tolerating another process that creates an entry
   * meanwhile (a writer's lock file): a few attempts, then the leftover is left for the next writer
   * of that ref, which cleans a directory without a {@code ref} file anyway.
   *
   * @return true when the tree is gone
   */
  public static boolean deleteTreeQuietly(Path path) {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        deleteTree(path);
        return true;
      } catch (IOException e) {
        if (!Files.exists(path)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Moves without replacing: true when moved, false when {@code target} already existed. */
  public static boolean linkOrMoveNoReplace(Path source, Path target) throws IOException {
    try {
      // link(2) fails if the target exists, unlike rename(2) which silently replaces it; that is
      // how a racing commit of the same blob in another process is detected without a lock.
      Files.createLink(target, source);
      Files.delete(source);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (NoSuchFileException e) {
      throw e; // a missing source or target directory: a rename would fail the same way
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
      if (Files.exists(target)) {
        return false;
      }
      // File systems without hard links: rename, accepting that a racer's identical bytes may
      // be replaced by ours (same digest, so readers see the same content either way).
      try {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException ex) {
        throw new IOException("cannot move " + source + " to " + target + " atomically", ex);
      }
      return true;
    }
  }
}
