package dev.hoist.reliability;

import dev.hoist.digest.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A directory tree described file by file, for comparing two unpacks: type, permission bits, size,
 * content hash, symlink target, mtime, owner, and which paths share an inode.
 *
 * <p>Directory mtimes are left out: a directory that a later layer changes (a new entry, a
 * whiteout) keeps the time of the unpack in containerd, so two unpacks a second apart differ.
 */
final class Trees {

  private Trees() {}

  /** Path (relative, the root itself excluded) to a one-line description. */
  static Map<String, String> describe(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(root)) {
          continue;
        }
        out.put(root.relativize(p).toString(), line(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Each path whose description differs, as {@code path: ours | theirs}. */
  static List<String> differences(Map<String, String> ours, Map<String, String> theirs) {
    Set<String> paths = new TreeSet<>(ours.keySet());
    paths.addAll(theirs.keySet());
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      String a = ours.get(p);
      String b = theirs.get(p);
      if (a == null || !a.equals(b)) {
        out.add(p + ": " + a + " | " + b);
      }
    }
    return out;
  }

  /** Groups of paths (two or more) that are one inode, as sorted strings. */
  static Set<String> hardlinkGroups(Path root) {
    Map<Object, Set<String>> byInode = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
          byInode
              .computeIfAbsent(((Number) ino).longValue(), k -> new TreeSet<>())
              .add(root.relativize(p).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> groups = new TreeSet<>();
    for (Set<String> g : byInode.values()) {
      if (g.size() > 1) {
        groups.add(String.join(" = ", g));
      }
    }
    return groups;
  }

  private static String line(Path p) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(
            p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    List<String> parts = new ArrayList<>();
    String type;
    if (Files.isSymbolicLink(p)) {
      type = "symlink -> " + Files.readSymbolicLink(p);
    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      type = "dir";
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      type =
          "file "
              + a.get("size")
              + " "
              + Digest.sha256(Files.readAllBytes(p)).encoded().substring(0, 16);
    } else {
      type = "special " + Integer.toOctalString(mode & 0170000);
    }
    parts.add(type);
    if (!Files.isSymbolicLink(p)) {
      parts.add("mode " + Integer.toOctalString(mode & 07777));
    }
    parts.add("owner " + a.get("uid") + ":" + a.get("gid"));
    if (!Files.isSymbolicLink(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      parts.add("mtime " + ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
    }
    return String.join(", ", parts);
  }
}
