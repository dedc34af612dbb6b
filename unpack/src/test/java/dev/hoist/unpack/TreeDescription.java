package dev.hoist.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tree as comparable text: path → type, mode, owner, mtime, content or link target or device
 * numbers, user xattrs, and the first path of its inode (hardlink groups). A directory mtime later
 * than {@code recent} (set by the apply's own writes, not by a tar entry) shows as {@code now}.
 */
final class TreeDescription {

  private TreeDescription() {}

  static Map<String, String> of(Path root, Instant recent) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Map<Object, String> inodes = new HashMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            if (!d.equals(root)) {
              Instant t = a.lastModifiedTime().toInstant();
              out.put(
                  root.relativize(d).toString(),
                  "dir " + meta(d) + " " + (t.isAfter(recent) ? "now" : t) + xattrs(d));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            String rel = root.relativize(f).toString();
            if (a.isSymbolicLink()) {
              out.put(rel, "symlink " + Files.readSymbolicLink(f) + " " + owner(f));
              return FileVisitResult.CONTINUE;
            }
            String first = inodes.putIfAbsent(a.fileKey(), rel);
            String what =
                a.isRegularFile()
                    ? "file " + Files.readString(f, StandardCharsets.ISO_8859_1)
                    : "special " + Files.getAttribute(f, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            out.put(
                rel,
                what
                    + " "
                    + meta(f)
                    + " "
                    + a.lastModifiedTime().toInstant()
                    + xattrs(f)
                    + " inode-of "
                    + (first == null ? rel : first));
            return FileVisitResult.CONTINUE;
          }
        });
    return out;
  }

  private static String meta(Path p) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return Integer.toOctalString(mode) + " " + owner(p);
  }

  private static String owner(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
    return a.get("uid") + ":" + a.get("gid");
  }

  private static String xattrs(Path p) throws IOException {
    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(
            p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    StringBuilder sb = new StringBuilder();
    for (String name : new java.util.TreeSet<>(v.list())) {
      ByteBuffer b = ByteBuffer.allocate(v.size(name));
      v.read(name, b);
      b.flip();
      sb.append(" user.").append(name).append('=').append(StandardCharsets.UTF_8.decode(b));
    }
    return sb.toString();
  }
}
