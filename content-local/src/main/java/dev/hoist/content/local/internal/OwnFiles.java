package dev.hoist.content.local.internal;

import dev.hoist.errors.FailedPreconditionException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * The store never follows a link it did not make. Anyone who can write in a store directory (a
 * shared or group-writable one) could plant a symbolic link, a hard link or a FIFO where Hoist
 * expects its own files, to make Hoist read, append to, truncate or publish a file elsewhere. These
 * checks look at an entry itself ({@code lstat}, never following it) and at its owner: every file
 * and directory of a store is made by the running user, so anything else is not ours.
 *
 * <p>On systems without the {@code unix} attribute view (Windows) ownership and link counts are not
 * checked; links are still never followed.
 */
public final class OwnFiles {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /** The running user's uid, or null where there are no uids. */
  private static final Integer UID = runningUid();

  private OwnFiles() {}

  /** An entry as found, without following it. */
  public record Entry(BasicFileAttributes attrs, Integer uid, int links) {

    public boolean isOwnDirectory() {
      return attrs.isDirectory() && !attrs.isSymbolicLink() && isOwn();
    }

    /** A regular file of ours with no other name: nothing outside can share its bytes. */
    public boolean isOwnSoleFile() {
      return attrs.isRegularFile() && !attrs.isSymbolicLink() && isOwn() && links <= 1;
    }

    boolean isOwn() {
      return UID == null || uid == null || UID.equals(uid);
    }

    String describe() {
      if (attrs.isSymbolicLink()) {
        return "a symbolic link";
      }
      if (!isOwn()) {
        return "owned by uid " + uid + ", not by the running user (uid " + UID + ")";
      }
      if (attrs.isRegularFile() && links > 1) {
        return "a file with " + links + " hard links";
      }
      return attrs.isDirectory()
          ? "a directory"
          : attrs.isRegularFile() ? "a file" : "not a regular file";
    }
  }

  /** The entry at {@code p} itself (a link is not followed), or null when there is none. */
  public static Entry lstat(Path p) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (UID == null) {
      return new Entry(a, null, 1);
    }
    try {
      Map<String, Object> unix = Files.readAttributes(p, "unix:uid,nlink", NOFOLLOW);
      return new Entry(a, (Integer) unix.get("uid"), ((Number) unix.get("nlink")).intValue());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Requires {@code dir} to be a directory of ours, not a link to one.
   *
   * @param what the store's name for it, for the message
   * @throws FailedPreconditionException naming the path and what it is instead
   */
  public static void requireOwnDirectory(Path dir, String what) throws IOException {
    Entry e = lstat(dir);
    if (e != null && !e.isOwnDirectory()) {
      throw new FailedPreconditionException(
          what
              + " "
              + dir
              + " is "
              + e.describe()
              + "; the content store uses only directories"
              + " it made itself and never follows links");
    }
  }

  /**
   * Makes {@code dir} a directory of ours: creates it when missing, and replaces an entry the store
   * never makes there (a link, a file) with a new directory, without following it. A bad entry is
   * reset as containerd resets a bad ingest.
   *
   * @throws FailedPreconditionException when it is a real directory of another user (a shared store
   *     is not supported: its owner could plant links in it)
   */
  public static void ownDirectory(Path dir) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      Entry e = lstat(dir);
      if (e == null) {
        try {
          Files.createDirectory(dir);
          return;
        } catch (FileAlreadyExistsException raced) {
          continue; // made meanwhile by another writer of the same ref: look again
        } catch (NoSuchFileException noParent) {
          Files.createDirectories(dir.getParent()); // the ingest root was removed under us
          continue;
        }
      }
      if (e.isOwnDirectory()) {
        return;
      }
      if (e.attrs().isDirectory() && !e.attrs().isSymbolicLink()) {
        requireOwnDirectory(dir, "ingest directory");
      }
      Files.deleteIfExists(dir); // unlinks the link or file itself, never its target
    }
    requireOwnDirectory(dir, "ingest directory");
  }

  /**
   * Requires the store root (a link given as the root is the caller's choice and is followed) to
   * belong to the running user and not to be writable by everyone: in such a root another user
   * could plant links for Hoist to follow.
   *
   * @throws FailedPreconditionException naming the root and the reason
   */
  public static void requireOwnRoot(Path root) throws IOException {
    if (UID == null) {
      return;
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(root, "unix:uid,mode");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return;
    }
    Integer uid = (Integer) a.get("uid");
    int mode = (Integer) a.get("mode");
    if (!UID.equals(uid)) {
      throw new FailedPreconditionException(
          "content store root "
              + root
              + " is owned by uid "
              + uid
              + ", not by the running user (uid "
              + UID
              + "); use a store directory of your own");
    }
    if ((mode & 0002) != 0) {
      throw new FailedPreconditionException(
          "content store root "
              + root
              + " is writable by every user (mode "
              + Integer.toOctalString(mode & 07777)
              + "); chmod o-w it or use a private directory");
    }
  }

  /** Removes {@code p} when it is anything but a sole regular file of ours; true when removed. */
  public static boolean removeUnlessOwnFile(Path p) throws IOException {
    Entry e = lstat(p);
    if (e == null || e.isOwnSoleFile()) {
      return false;
    }
    if (e.attrs().isDirectory() && !e.attrs().isSymbolicLink()) {
      FileOps.deleteTree(p);
    } else {
      Files.deleteIfExists(p);
    }
    return true;
  }

  private static Integer runningUid() {
    try {
      // /proc/self belongs to the process's effective user.
      Path self = Path.of("/proc/self");
      if (Files.isDirectory(self)) {
        return (Integer) Files.getAttribute(self, "unix:uid");
      }
      Path probe = Files.createTempFile("hoist-uid", ".probe");
      try {
        return (Integer) Files.getAttribute(probe, "unix:uid");
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // no uids here (Windows): ownership is not checked
    }
  }
}
