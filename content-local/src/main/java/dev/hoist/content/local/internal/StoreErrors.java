package dev.hoist.content.local.internal;

import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the store's I/O failures that a user can act on (permissions, a read-only or full file
 * system) into {@link FailedPreconditionException}s whose one-line message names the path and the
 * reason in words: {@code permission denied: <path>}, {@code no space left on device while writing
 * <path>}. Java reports the errno only as the text of its message ({@code strerror}), so that text
 * is what is matched; anything else is left to the caller as it was.
 */
public final class StoreErrors {

  private StoreErrors() {}

  /**
   * Fails with a message that names {@code dir} and the reason ("permission denied: …", "read-only
   * file system: …") when it cannot be written, instead of an error about the first file written
   * there. {@code access(2)} answers for root too (a read-only mount, an immutable directory); only
   * then is a probe file created, to learn which reason applies.
   */
  public static void requireWritable(Path dir) throws IOException {
    if (Files.isWritable(dir)) {
      return;
    }
    try {
      Files.delete(Files.createTempFile(dir, ".write-check-", FileOps.TMP_SUFFIX));
    } catch (IOException e) {
      throw orTypedAt(e, dir); // name the directory, not the probe
    }
  }

  /**
   * For {@code throw StoreErrors.orTyped(e, path)}: throws the typed failure for {@code e}, or
   * returns {@code e} itself, to be rethrown, when it is none of the known causes (an interrupt's
   * {@code ClosedByInterruptException} stays what it is).
   *
   * @param path the file or directory being written, named when {@code e} names none
   */
  public static IOException orTyped(IOException e, Path path) {
    return orTyped(e, path, false);
  }

  /**
   * As {@link #orTyped(IOException, Path)}, naming {@code path} even when {@code e} names a file.
   */
  public static IOException orTypedAt(IOException e, Path path) {
    return orTyped(e, path, true);
  }

  private static IOException orTyped(IOException e, Path path, boolean pathWins) {
    FailedPreconditionException typed = typed(e, path, pathWins);
    if (typed != null) {
      throw typed;
    }
    return e;
  }

  /** The typed failure for {@code e}, or null when it is not a permission or space problem. */
  public static FailedPreconditionException typed(IOException e, Path path) {
    return typed(e, path, false);
  }

  private static FailedPreconditionException typed(IOException e, Path path, boolean pathWins) {
    Path named = path;
    if (!pathWins && e instanceof FileSystemException fse && fse.getFile() != null) {
      named = Path.of(fse.getFile());
    }
    String reason = reason(e);
    if (e instanceof AccessDeniedException || reason.contains("permission denied")) {
      return new FailedPreconditionException("permission denied: " + named, e);
    }
    if (reason.contains("read-only file system")) {
      return new FailedPreconditionException("read-only file system: " + named, e);
    }
    if (reason.contains("no space left on device")) {
      return new FailedPreconditionException("no space left on device while writing " + named, e);
    }
    if (reason.contains("disk quota exceeded")) {
      return new FailedPreconditionException("disk quota exceeded while writing " + named, e);
    }
    if (reason.contains("operation not permitted")) { // e.g. an immutable (chattr +i) file
      return new FailedPreconditionException("operation not permitted: " + named, e);
    }
    return null;
  }

  private static String reason(IOException e) {
    String r = e instanceof FileSystemException fse ? fse.getReason() : null;
    if (r == null) {
      r = e.getMessage();
    }
    return r == null ? "" : r.toLowerCase(Locale.ROOT);
  }
}
