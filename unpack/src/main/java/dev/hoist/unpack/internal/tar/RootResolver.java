package dev.hoist.unpack.internal.tar;

import static dev.hoist.unpack.internal.tar.EntryNames.join;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resolves the directory part of entry names inside a root the way containerd's {@code fs.RootPath}
 * does: component by component, every symlink met is read and evaluated as if the root were {@code
 * /} (an absolute target restarts at the root, {@code ..} stops at it), so no name and no link
 * target can lead out of the root. At most {@value #MAX_LINKS} links are followed per resolution
 * (Linux's ELOOP bound is 40 per lookup; containerd allows 255).
 *
 * <p>Results are cached by lexical name, because a layer writes thousands of files into the same
 * few directories. Every cached directory existed and was a real directory (not a link) when it was
 * resolved; the writer calls {@link #invalidate()} whenever it removes a directory or a symlink,
 * the only changes that could make a cached answer wrong. Not thread-safe.
 */
final class RootResolver {

  static final int MAX_LINKS = 255;

  private final Path root;
  private final Consumer<String> created;
  private final Lowers lowers;
  private final Map<String, String> cache = new HashMap<>();

  /**
   * @param root the real path of the root directory
   * @param created told the root-relative name of every directory this resolver creates
   * @param lowers for an overlay apply (root is the upper directory), else null
   */
  RootResolver(Path root, Consumer<String> created, Lowers lowers) {
    this.root = root;
    this.created = created;
    this.lowers = lowers;
  }

  /** Returns the absolute path of a resolved root-relative name. */
  Path abs(String rel) {
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /** Forgets every cached resolution. */
  void invalidate() {
    cache.clear();
  }

  /**
   * Resolves the clean lexical directory {@code dir} to the root-relative name of a real directory,
   * following symlinks inside the root.
   *
   * @param dir a name cleaned by {@link EntryNames#clean}
   * @param create create missing directories (mode 0755 less the umask, as containerd's implied
   *     parents); when false, a missing component returns null (for an overlay apply, a component
   *     missing in the upper directory but a directory in the lowers is created either way)
   * @param entry the entry being applied, for messages
   * @return the resolved name, {@code ""} for the root itself, or null (see {@code create})
   * @throws InvalidArgumentException if a component is a file, or links loop
   */
  String resolveDir(String dir, boolean create, String entry) throws IOException {
    if (dir.isEmpty()) {
      return "";
    }
    String hit = cache.get(dir);
    if (hit != null) {
      return hit;
    }
    // Walk back to the longest cached prefix, then forward one lexical component at a time, so
    // each prefix is cached too and a deep name costs one step per new directory.
    Deque<String> rest = new ArrayDeque<>();
    String prefix = dir;
    String resolved = null;
    while (!prefix.isEmpty()) {
      resolved = cache.get(prefix);
      if (resolved != null) {
        break;
      }
      rest.push(EntryNames.base(prefix));
      prefix = EntryNames.parent(prefix);
    }
    if (resolved == null) {
      resolved = "";
    }
    String lexical = prefix;
    while (!rest.isEmpty()) {
      String c = rest.pop();
      lexical = join(lexical, c);
      resolved = step(resolved, c, create, entry);
      if (resolved == null) {
        return null;
      }
      cache.put(lexical, resolved);
    }
    return resolved;
  }

  /** Resolves one component {@code c} inside the real directory {@code dir}. */
  private String step(String dir, String c, boolean create, String entry) throws IOException {
    List<String> stack = new ArrayList<>();
    if (!dir.isEmpty()) {
      for (String s : dir.split("/", -1)) {
        stack.add(s);
      }
    }
    Deque<String> pending = new ArrayDeque<>();
    pending.add(c);
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!stack.isEmpty()) {
          stack.remove(stack.size() - 1);
        }
        continue;
      }
      String rel = join(String.join("/", stack), part);
      Path p = abs(rel);
      BasicFileAttributes a = lstat(p);
      if (a == null) {
        // Overlay: a directory only a lower layer has is copied up (its metadata) even when not
        // creating, since the merged view has it.
        if (!create && (lowers == null || !lowers.isDirectory(rel))) {
          return null;
        }
        try {
          if (lowers == null) {
            Files.createDirectory(p);
          } else {
            lowers.makeDirectory(rel, p);
          }
          created.accept(rel);
        } catch (FileAlreadyExistsException e) {
          throw new InvalidArgumentException(
              "tar entry "
                  + EntryNames.quote(entry)
                  + ": "
                  + EntryNames.quote(rel)
                  + " appeared while resolving");
        }
        stack.add(part);
      } else if (a.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          throw new InvalidArgumentException(
              "tar entry " + EntryNames.quote(entry) + ": too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(p).toString();
        if (target.startsWith("/")) {
          stack.clear();
        }
        String[] parts = target.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          pending.addFirst(parts[i]);
        }
      } else if (a.isDirectory()) {
        stack.add(part);
      } else if (lowers != null && OverlayFiles.isWhiteout(p, a)) {
        // An earlier whiteout of this layer: the name is deleted in the merged view, so a new
        // directory there must hide the lower layers' one, as the kernel makes it (opaque).
        if (!create) {
          return null;
        }
        Files.delete(p);
        Files.createDirectory(p);
        OverlayFiles.opaque(p, entry);
        created.accept(rel);
        stack.add(part);
      } else {
        throw new InvalidArgumentException(
            "tar entry "
                + EntryNames.quote(entry)
                + ": "
                + EntryNames.quote(rel)
                + " is not a directory");
      }
    }
    return String.join("/", stack);
  }

  /**
   * Removes {@code p} and, if it is a directory, everything in it; links are removed, not followed.
   */
  void remove(Path p) throws IOException {
    BasicFileAttributes a = RootResolver.lstat(p);
    if (a == null) {
      return;
    }
    if (a.isDirectory()) {
      invalidate();
      Removal.deleteTree(p);
    } else {
      if (a.isSymbolicLink()) {
        invalidate();
      }
      try {
        Files.delete(p);
      } catch (NoSuchFileException x) {
        // already gone
      }
    }
  }

  /** Returns the attributes of {@code p} itself (links not followed), or null if it is absent. */
  static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
