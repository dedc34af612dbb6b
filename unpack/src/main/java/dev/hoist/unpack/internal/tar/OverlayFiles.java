package dev.hoist.unpack.internal.tar;

import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The kernel's overlay diff format, rootless flavour (mounted with {@code userxattr}): a whiteout
 * is a character device 0/0, an opaque directory carries {@code user.overlay.opaque=y}. The JDK can
 * set {@code user.*} xattrs but not {@code trusted.*} ones, and {@code mknod} of 0/0 needs no
 * privilege on Linux 5.8 or later.
 */
public final class OverlayFiles {

  /** The xattr name without its {@code user.} namespace, as the JDK's view wants it. */
  private static final String OPAQUE = "overlay.opaque";

  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  private OverlayFiles() {}

  /**
   * Whether {@code p}, with attributes {@code a} read without following links, is a whiteout.
   *
   * @param p a path
   * @param a its attributes (links not followed)
   * @return true for a character device 0/0
   * @throws IOException when the attributes cannot be read
   */
  public static boolean isWhiteout(Path p, BasicFileAttributes a) throws IOException {
    if (!a.isOther()) {
      return false;
    }
    var u = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) u.get("mode") & S_IFMT) == S_IFCHR && (Long) u.get("rdev") == 0L;
  }

  /**
   * Whether the directory {@code dir} is opaque.
   *
   * @param dir a directory (not a link)
   * @return true when it has {@code user.overlay.opaque=y}
   * @throws IOException when its xattrs cannot be listed
   */
  public static boolean isOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(
            dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return false;
    }
    try {
      if (!view.list().contains(OPAQUE)) {
        return false;
      }
      ByteBuffer b = ByteBuffer.allocate(view.size(OPAQUE));
      view.read(OPAQUE, b);
      b.flip();
      return "y".equals(StandardCharsets.UTF_8.decode(b).toString());
    } catch (FileSystemException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Whether {@code xattr} (a {@code user.} name without that prefix) belongs to the overlay format
   * and so must never be copied into a plain tree or up from a lower layer.
   *
   * @param xattr a user xattr name without {@code user.}
   * @return true for {@code overlay.*}
   */
  public static boolean isOverlayXattr(String xattr) {
    return xattr.startsWith("overlay.");
  }

  /**
   * Why overlay diffs cannot be written in {@code dir}, or null when they can: tries a whiteout and
   * the opaque xattr in a fresh directory under {@code dir}, then removes it.
   *
   * @param dir an existing directory on the filesystem to check
   * @return the reason, one line, or null
   */
  public static String unsupportedIn(Path dir) {
    Path probe;
    try {
      probe = Files.createTempDirectory(dir, ".overlay-probe-");
    } catch (IOException | RuntimeException e) {
      return "cannot create a directory in " + dir + ": " + e.getMessage();
    }
    try {
      try {
        opaque(probe, "probe");
      } catch (IOException | FailedPreconditionException e) {
        return "no user xattrs in " + dir;
      }
      Path whiteout = probe.resolve("w");
      try {
        if (!SpecialFiles.mknod(whiteout, 'c', 0, 0, 0)) {
          return "cannot create an overlay whiteout (character device 0/0) in " + dir;
        }
        BasicFileAttributes a =
            Files.readAttributes(whiteout, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!isWhiteout(whiteout, a) || !isOpaque(probe)) {
          return "overlay whiteouts or opaque marks do not read back in " + dir;
        }
      } catch (IOException e) {
        return "cannot create an overlay whiteout in " + dir + ": " + e.getMessage();
      }
      return null;
    } finally {
      try {
        Files.deleteIfExists(probe.resolve("w"));
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // a leftover empty probe directory is harmless
      }
    }
  }

  /**
   * Creates a whiteout at {@code p}, where nothing is.
   *
   * @param p an absent path
   * @param entry the tar entry, for the message
   * @throws IOException when {@code mknod} cannot be run
   * @throws FailedPreconditionException when the device cannot be created
   */
  static void whiteout(Path p, String entry) throws IOException {
    if (!SpecialFiles.mknod(p, 'c', 0, 0, 0)) {
      throw new FailedPreconditionException(
          "tar entry "
              + EntryNames.quote(entry)
              + ": cannot create an overlay whiteout (character device 0/0; needs Linux 5.8 or"
              + " later, or root); use the native snapshotter");
    }
  }

  /**
   * Marks the directory {@code dir} opaque.
   *
   * @param dir a directory (not a link)
   * @param entry the tar entry, for the message
   * @throws IOException when writing fails otherwise
   * @throws FailedPreconditionException when the filesystem refuses user xattrs
   */
  static void opaque(Path dir, String entry) throws IOException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(
            dir, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    try {
      if (view == null) {
        throw new UnsupportedOperationException("no user xattrs");
      }
      view.write(OPAQUE, ByteBuffer.wrap(new byte[] {'y'}));
    } catch (FileSystemException | UnsupportedOperationException e) {
      throw new FailedPreconditionException(
          "tar entry "
              + EntryNames.quote(entry)
              + ": cannot mark an opaque directory (xattr user.overlay.opaque: "
              + e.getMessage()
              + "); use the native snapshotter",
          e);
    }
  }
}
