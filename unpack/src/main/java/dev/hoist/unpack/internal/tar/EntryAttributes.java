package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies an entry's owner, mode bits, xattrs and times, in the order that keeps each: owner first
 * (a chown clears setuid/setgid), then the mode, then the times last. Paths handed in are never
 * followed where it matters: owners use {@code lchown}; modes and times are only set through paths
 * the writer just created or checked to be no symlink.
 */
final class EntryAttributes {

  private static final String XATTR_PREFIX = "SCHILY.xattr.";
  private static final String USER_PREFIX = "user.";

  private final boolean preserveOwnership;
  private final ProcessIdentity me;
  private final Skips skips;

  EntryAttributes(boolean preserveOwnership, ProcessIdentity me, Skips skips) {
    this.preserveOwnership = preserveOwnership;
    this.me = me;
    this.skips = skips;
  }

  /**
   * Applies the entry's uid/gid to {@code p} itself (never a link's target) when preserving
   * ownership, as containerd's unconditional {@code Lchown}; otherwise counts a skip when the owner
   * differs from this process. Returns true when the file now has the entry's owner.
   */
  boolean owner(Path p, TarArchiveEntry e, String entry) throws IOException {
    long uid = e.getLongUserId();
    long gid = e.getLongGroupId();
    if (!preserveOwnership) {
      if (uid == me.uid() && gid == me.gid()) {
        return true;
      }
      skips.skip(
          Skips.Kind.OWNERSHIP, entry, "owner " + uid + ":" + gid + " (ownership not preserved)");
      return false;
    }
    if (uid < 0 || uid > Integer.MAX_VALUE || gid < 0 || gid > Integer.MAX_VALUE) {
      skips.skip(Skips.Kind.OWNERSHIP, entry, "owner " + uid + ":" + gid + " (out of range)");
      return false;
    }
    try {
      Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
      return true;
    } catch (FileSystemException x) {
      skips.skip(
          Skips.Kind.OWNERSHIP, entry, "owner " + uid + ":" + gid + " (" + x.getReason() + ")");
      return false;
    }
  }

  /**
   * Returns the mode to give a file: the entry's twelve mode bits, less setuid/setgid when its
   * owner was not applied (GNU tar's rule; such a file must not become setuid for someone else).
   */
  int mode(TarArchiveEntry e, boolean ownerApplied, String entry) {
    int mode = e.getMode() & 07777;
    if (!ownerApplied && (mode & 06000) != 0) {
      skips.skip(Skips.Kind.SPECIAL_MODE, entry, "setuid/setgid bits without its owner");
      mode &= ~06000;
    }
    return mode;
  }

  /** Sets all twelve mode bits of {@code p}, which must not be a symlink. */
  static void chmod(Path p, int mode) throws IOException {
    Files.setAttribute(p, "unix:mode", mode);
  }

  /**
   * Writes the entry's {@code SCHILY.xattr.user.*} headers as user xattrs on {@code p}, a regular
   * file or a directory; any other namespace ({@code security.capability}, {@code trusted.*}) and
   * any xattr the filesystem refuses is skipped and counted. {@code LIBARCHIVE.xattr.*} headers are
   * ignored: libarchive writes them next to the SCHILY ones it also writes.
   */
  void xattrs(Path p, TarArchiveEntry e, String entry, boolean writable) throws IOException {
    Map<String, String> extra = e.getExtraPaxHeaders();
    if (extra.isEmpty()) {
      return;
    }
    UserDefinedFileAttributeView view = null;
    for (Map.Entry<String, String> h : extra.entrySet()) {
      String key = h.getKey();
      if (!key.startsWith(XATTR_PREFIX)) {
        continue;
      }
      String name = key.substring(XATTR_PREFIX.length());
      if (!writable || !name.startsWith(USER_PREFIX)) {
        skips.skip(Skips.Kind.XATTR, entry, "xattr " + EntryNames.quote(name));
        continue;
      }
      if (view == null) {
        view =
            Files.getFileAttributeView(
                p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      }
      try {
        if (view == null) {
          throw new UnsupportedOperationException("no user xattrs");
        }
        view.write(
            name.substring(USER_PREFIX.length()),
            ByteBuffer.wrap(h.getValue().getBytes(StandardCharsets.UTF_8)));
      } catch (FileSystemException | UnsupportedOperationException x) {
        skips.skip(Skips.Kind.XATTR, entry, "xattr " + EntryNames.quote(name));
      }
    }
  }

  /**
   * Sets the modification time (and the access time, to the later of the two, as containerd) of
   * {@code p}, which must be a regular file or directory: the JDK opens the path to set times,
   * which would block on a fifo.
   */
  static void times(Path p, TarArchiveEntry e) throws IOException {
    FileTime mtime = e.getLastModifiedTime();
    FileTime atime = e.getLastAccessTime();
    if (atime == null || atime.compareTo(mtime) < 0) {
      atime = mtime;
    }
    Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(mtime, atime, null);
  }
}
