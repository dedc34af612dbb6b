package dev.hoist.unpack.internal.tar;

import static dev.hoist.unpack.internal.tar.EntryNames.join;
import static dev.hoist.unpack.internal.tar.EntryNames.quote;

import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.unpack.SkipCounts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Applies the entries of one layer onto a root directory, with containerd's {@code archive.Apply}
 * semantics. Every entry's directory part is resolved by {@link RootResolver} (links evaluated
 * inside the root); the final component is never followed: a new file is created with {@code
 * O_CREAT|O_EXCL|O_NOFOLLOW}, and whatever stood at that name (a file, a link, a directory unless
 * the entry is a directory too) is removed first. Directory modes and times are set at {@link
 * #finish()}, after their contents, deepest first, so a read-only directory can still be filled.
 * Not thread-safe; one instance per layer.
 */
public final class LayerWriter {

  private static final Set<OpenOption> CREATE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private final RootResolver resolver;
  private final Lowers lowers;
  private final Whiteouts whiteouts;
  private final Skips skips;
  private final EntryAttributes attributes;
  private final boolean root;
  private final int umask = Umask.get();

  /** Root-relative names this layer created or declared: kept by its own opaque markers. */
  private final Set<String> layerPaths = new HashSet<>();

  private final Map<String, PendingDir> dirs = new LinkedHashMap<>();
  private final byte[] buf;

  private record PendingDir(Path path, int mode, boolean chmod, TarArchiveEntry entry) {}

  /**
   * @param root the real path of the directory to apply onto: the whole tree, or for an overlay
   *     apply the (empty) upper directory
   * @param lowerDirs null for a plain apply; for an overlay apply the lower directories, top first
   *     (the entries go into {@code root} in the kernel's overlay diff format, see {@link
   *     OverlayFiles})
   * @param lowersReady for an overlay apply, run before the lower directories are first read (waits
   *     until they are complete, or throws); null when they are
   * @param strict fail instead of skipping what cannot be applied
   * @param preserveOwnership apply uid/gid
   * @param bufferSize the file copy buffer
   */
  public LayerWriter(
      Path root,
      List<Path> lowerDirs,
      Runnable lowersReady,
      boolean strict,
      boolean preserveOwnership,
      int bufferSize) {
    this.lowers = lowerDirs == null ? null : new Lowers(root, lowerDirs, lowersReady);
    this.resolver = new RootResolver(root, layerPaths::add, lowers);
    this.whiteouts = new Whiteouts(resolver, lowers, layerPaths);
    this.skips = new Skips(strict);
    ProcessIdentity me = ProcessIdentity.current();
    this.root = me.isRoot();
    this.attributes = new EntryAttributes(preserveOwnership, me, skips);
    this.buf = new byte[bufferSize];
  }

  /** Returns what was skipped so far. */
  public SkipCounts skipped() {
    return skips.counts();
  }

  /**
   * Applies one entry; {@code data} is positioned at its content.
   *
   * @throws InvalidArgumentException for a hostile or unsupported entry, naming it
   */
  public void apply(TarArchiveEntry e, InputStream data) throws IOException {
    String name = e.getName();
    String clean = EntryNames.clean(name);
    if (clean.isEmpty()) {
      return; // the root itself ("./"): containerd ignores it, the root's attributes are the
      // caller's
    }
    String base = EntryNames.base(clean);
    String parent = EntryNames.parent(clean);
    if (base.startsWith(Whiteouts.PREFIX)) {
      whiteouts.apply(name, parent, base);
      return;
    }
    String rel = join(resolver.resolveDir(parent, true, name), base);
    Path p = resolver.abs(rel);
    if (e.isDirectory()) {
      directory(e, name, rel, p);
      return;
    }
    switch (e.getLinkFlag()) {
      case TarConstants.LF_NORMAL,
          TarConstants.LF_OLDNORM,
          TarConstants.LF_CONTIG,
          TarConstants.LF_GNUTYPE_SPARSE ->
          file(e, name, rel, p, data);
      case TarConstants.LF_SYMLINK -> symlink(e, name, rel, p);
      case TarConstants.LF_LINK -> hardlink(e, name, rel, p);
      case TarConstants.LF_CHR, TarConstants.LF_BLK -> device(e, name, rel, p);
      case TarConstants.LF_FIFO -> fifo(e, name, rel, p);
      default ->
          throw new InvalidArgumentException(
              "tar entry "
                  + quote(name)
                  + ": unsupported type "
                  + quote(String.valueOf((char) e.getLinkFlag())));
    }
  }

  private void file(TarArchiveEntry e, String name, String rel, Path p, InputStream data)
      throws IOException {
    int mode = e.getMode() & 0777;
    try (FileChannel ch = createFile(p, mode)) {
      copy(data, ch);
    }
    layerPaths.add(rel);
    boolean owned = attributes.owner(p, e, name);
    int want = attributes.mode(e, owned, name);
    if (want != (mode & ~umask)) {
      EntryAttributes.chmod(p, want);
    }
    attributes.xattrs(p, e, name, true);
    EntryAttributes.times(p, e);
  }

  private FileChannel createFile(Path p, int mode) throws IOException {
    try {
      return FileChannel.open(p, CREATE, Modes.attribute(mode));
    } catch (FileAlreadyExistsException x) {
      removeAll(p);
      return FileChannel.open(p, CREATE, Modes.attribute(mode));
    }
  }

  private void copy(InputStream data, FileChannel ch) throws IOException {
    int n = 0;
    while (true) {
      int r;
      try {
        r = data.read(buf, n, buf.length - n);
      } catch (IOException x) {
        throw new TarReadException(x);
      }
      if (r < 0) {
        break;
      }
      n += r;
      if (n == buf.length) {
        writeFully(ch, n);
        n = 0;
      }
    }
    if (n > 0) {
      writeFully(ch, n);
    }
  }

  private void writeFully(FileChannel ch, int n) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
    while (bb.hasRemaining()) {
      ch.write(bb);
    }
  }

  private void directory(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    int mode = e.getMode() & 0777;
    int created = (mode | 0700) & ~umask;
    boolean chmod;
    try {
      Files.createDirectory(p, Modes.attribute(mode | 0700));
      chmod = false;
    } catch (FileAlreadyExistsException x) {
      BasicFileAttributes a = RootResolver.lstat(p);
      if (a != null && a.isDirectory()) {
        chmod = true; // a directory over a directory merges; the entry's attributes win
      } else {
        boolean whiteout = lowers != null && a != null && OverlayFiles.isWhiteout(p, a);
        removeAll(p);
        Files.createDirectory(p, Modes.attribute(mode | 0700));
        if (whiteout) {
          OverlayFiles.opaque(p, name); // a directory over a deleted name hides the lower one
        }
        chmod = false;
      }
    }
    layerPaths.add(rel);
    boolean owned = attributes.owner(p, e, name);
    int want = attributes.mode(e, owned, name);
    attributes.xattrs(p, e, name, true);
    dirs.remove(rel);
    dirs.put(rel, new PendingDir(p, want, chmod || want != created, e));
  }

  private void symlink(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    String target = e.getLinkName();
    if (target.indexOf('\0') >= 0 || target.isEmpty()) {
      throw new InvalidArgumentException(
          "tar entry " + quote(name) + ": invalid symlink target " + quote(target));
    }
    Path t;
    try {
      t = Path.of(target);
    } catch (InvalidPathException x) {
      throw new InvalidArgumentException(
          "tar entry " + quote(name) + ": invalid symlink target " + quote(target), x);
    }
    boolean exact = t.toString().equals(target);
    if (!createSymlink(p, t, target, exact)) {
      removeAll(p);
      if (!createSymlink(p, t, target, exact)) {
        throw new InvalidArgumentException(
            "tar entry " + quote(name) + ": cannot create symlink to " + quote(target));
      }
    }
    layerPaths.add(rel);
    attributes.owner(p, e, name);
    attributes.xattrs(p, e, name, false);
  }

  /**
   * Creates a symlink holding exactly {@code target}. The JDK normalises a target's redundant and
   * trailing slashes ({@code "dir/"} becomes {@code "dir"}); such rare targets are written by
   * {@code ln -s} so the link reads back as the tar said. Returns false if the name was taken.
   */
  private static boolean createSymlink(Path p, Path t, String target, boolean exact)
      throws IOException {
    if (exact) {
      try {
        Files.createSymbolicLink(p, t);
        return true;
      } catch (FileAlreadyExistsException x) {
        return false;
      }
    }
    if (RootResolver.lstat(p) != null) {
      return false;
    }
    return SpecialFiles.symlink(target, p);
  }

  private void hardlink(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    String link = EntryNames.clean(e.getLinkName());
    if (link.isEmpty()) {
      throw new InvalidArgumentException("tar entry " + quote(name) + ": hardlink to the root");
    }
    String dir = resolver.resolveDir(EntryNames.parent(link), false, name);
    if (dir == null) {
      throw new InvalidArgumentException(
          "tar entry "
              + quote(name)
              + ": hardlink target "
              + quote(e.getLinkName())
              + " not found");
    }
    String targetRel = join(dir, EntryNames.base(link));
    if (targetRel.equals(rel)) {
      layerPaths.add(rel);
      return; // a link to itself: nothing to do
    }
    Path target = resolver.abs(targetRel);
    BasicFileAttributes a = RootResolver.lstat(target);
    if (lowers != null) {
      a = copyUpLinkTarget(targetRel, target, a, name);
    }
    if (a == null) {
      throw new InvalidArgumentException(
          "tar entry "
              + quote(name)
              + ": hardlink target "
              + quote(e.getLinkName())
              + " not found");
    }
    if (a.isDirectory()) {
      throw new InvalidArgumentException(
          "tar entry "
              + quote(name)
              + ": hardlink target "
              + quote(e.getLinkName())
              + " is a directory");
    }
    if (a.isRegularFile() && !layerPaths.contains(targetRel)) {
      // The entry's metadata goes onto the target's inode below; a lower layer's file may be
      // shared with the parent snapshot, so it gets an inode of its own first.
      SharedInodes.unshare(resolver.abs(""), target);
    }
    // link(2) does not follow a symlink target: linking to a link makes another link, which is
    // as harmless as the original since nothing is ever written through one.
    try {
      Files.createLink(p, target);
    } catch (FileAlreadyExistsException x) {
      removeAll(p);
      Files.createLink(p, target);
    }
    // As containerd's archive.Apply: the entry's owner, mode and times go onto the inode it now
    // shares with its target (a symlink target excepted). A lower layer's file is never touched
    // through this: its inode was made private above.
    layerPaths.add(rel);
    if (!a.isSymbolicLink()) {
      boolean owned = attributes.owner(p, e, name);
      EntryAttributes.chmod(p, attributes.mode(e, owned, name));
      EntryAttributes.times(p, e);
    }
  }

  /**
   * An overlay apply's hardlink target: one in the upper directory is used as it is (a whiteout
   * there means deleted); one only a lower layer has is copied up first, so the link is made inside
   * the upper directory. Returns the target's attributes, or null when there is none.
   */
  private BasicFileAttributes copyUpLinkTarget(
      String targetRel, Path target, BasicFileAttributes a, String name) throws IOException {
    if (a != null) {
      return OverlayFiles.isWhiteout(target, a) ? null : a;
    }
    Path lower = lowers.find(targetRel);
    if (lower == null) {
      return null;
    }
    List<String> others =
        Files.isRegularFile(lower, LinkOption.NOFOLLOW_LINKS)
            ? lowers.visibleNamesOf(lower)
            : List.of();
    Lowers.copyUp(lower, target, name);
    for (String other : others) {
      String parent = resolver.resolveDir(EntryNames.parent(other), true, name);
      Files.createLink(resolver.abs(join(parent, EntryNames.base(other))), target);
    }
    return RootResolver.lstat(target);
  }

  private void device(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    char type = e.isCharacterDevice() ? 'c' : 'b';
    if (!root) {
      skips.skip(Skips.Kind.DEVICE, name, "device node (needs root)");
      return;
    }
    removeAll(p);
    if (!SpecialFiles.mknod(p, type, e.getDevMajor(), e.getDevMinor(), e.getMode())) {
      skips.skip(Skips.Kind.DEVICE, name, "device node (mknod failed)");
      return;
    }
    special(e, name, rel, p);
  }

  private void fifo(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    removeAll(p);
    if (!SpecialFiles.mkfifo(p, e.getMode())) {
      skips.skip(Skips.Kind.FIFO, name, "fifo (mkfifo failed)");
      return;
    }
    special(e, name, rel, p);
  }

  /** Owner and times of a device or fifo, set by path only: opening one could block or act. */
  private void special(TarArchiveEntry e, String name, String rel, Path p) throws IOException {
    layerPaths.add(rel);
    boolean owned = attributes.owner(p, e, name);
    if (owned && (e.getMode() & 06000) != 0) {
      EntryAttributes.chmod(p, e.getMode() & 07777); // chown cleared setuid/setgid
    }
    attributes.xattrs(p, e, name, false);
    SpecialFiles.touch(p, e.getLastModifiedTime());
  }

  private void removeAll(Path p) throws IOException {
    resolver.remove(p);
  }

  /** Sets the deferred modes and times of this layer's directories, deepest (last) first. */
  public void finish() throws IOException {
    PendingDir[] all = dirs.values().toArray(new PendingDir[0]);
    for (int i = all.length - 1; i >= 0; i--) {
      PendingDir d = all[i];
      BasicFileAttributes a = RootResolver.lstat(d.path());
      if (a == null || !a.isDirectory()) {
        continue; // replaced by a later entry of this layer
      }
      if (d.chmod()) {
        EntryAttributes.chmod(d.path(), d.mode());
      }
      EntryAttributes.times(d.path(), d.entry());
    }
  }
}
