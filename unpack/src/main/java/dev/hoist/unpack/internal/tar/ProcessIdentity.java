package dev.hoist.unpack.internal.tar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The effective uid and gid of this process, read once. Linux shows them as the owner of {@code
 * /proc/self}; elsewhere (or if that fails) a temporary file's owner tells the same.
 *
 * @param uid the effective user id
 * @param gid the effective group id
 */
public record ProcessIdentity(int uid, int gid) {

  private static final ProcessIdentity CURRENT = read();

  /** Returns this process's identity. */
  public static ProcessIdentity current() {
    return CURRENT;
  }

  /** Returns true for uid 0, which may chown, mknod and write any xattr namespace. */
  public boolean isRoot() {
    return uid == 0;
  }

  private static ProcessIdentity read() {
    try {
      return of(Path.of("/proc/self"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      try {
        Path tmp = Files.createTempFile("hoist-id", null);
        try {
          return of(tmp);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e2) {
        // No unix attributes at all: behave as an unprivileged user, which only skips more.
        return new ProcessIdentity(-1, -1);
      }
    }
  }

  private static ProcessIdentity of(Path p) throws IOException {
    // Followed on purpose: /proc/self is a root-owned link to /proc/<pid>, owned by the euid.
    int uid = (Integer) Files.getAttribute(p, "unix:uid");
    int gid = (Integer) Files.getAttribute(p, "unix:gid");
    return new ProcessIdentity(uid, gid);
  }
}
