package dev.hoist.content.local.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Where everything lives under a store root. The root is an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/<alg>/<hex>}) with Hoist's own state beside it: {@code
 * ingest/<sha256 of ref>/} for writes in progress (containerd's layout) and {@code
 * labels/<alg>/<hex>.json} for blob labels and times.
 */
public final class StoreLayout {

  public static final String OCI_LAYOUT_FILE = "oci-layout";
  public static final String INDEX_FILE = "index.json";
  static final String OCI_LAYOUT_JSON = "{\"imageLayoutVersion\":\"1.0.0\"}";
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");

  private final Path root;
  private final Path blobs;
  private final Path ingest;
  private final Path labels;

  private StoreLayout(Path root) {
    this.root = root;
    this.blobs = root.resolve("blobs");
    this.ingest = root.resolve("ingest");
    this.labels = root.resolve("labels");
  }

  /**
   * Validates {@code root}, creating it and its sub-directories when missing.
   *
   * @throws InvalidArgumentException when the root (or a parent) is not a directory
   * @throws FailedPreconditionException when the root cannot be written
   */
  public static StoreLayout create(Path root) throws IOException {
    if (root == null) {
      throw new InvalidArgumentException("content store root: null");
    }
    Path abs = root.toAbsolutePath().normalize();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new InvalidArgumentException("content store root " + abs + " is not a directory");
    }
    StoreLayout layout = new StoreLayout(abs);
    try {
      if (!Files.exists(abs)) {
        createPrivate(abs);
      }
      OwnFiles.requireOwnRoot(abs);
      for (Path dir : List.of(layout.blobs, layout.ingest, layout.labels)) {
        layout.ownSubdirectory(dir);
      }
      for (String alg : List.of(Digest.SHA256, Digest.SHA512)) {
        OwnFiles.requireOwnDirectory(layout.blobs.resolve(alg), "content store directory");
        OwnFiles.requireOwnDirectory(layout.labels.resolve(alg), "content store directory");
      }
      Path ociLayout = abs.resolve(OCI_LAYOUT_FILE);
      if (!Files.exists(ociLayout)) {
        FileOps.writeAtomically(ociLayout, OCI_LAYOUT_JSON.getBytes(StandardCharsets.UTF_8));
      }
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new InvalidArgumentException(
          "content store root "
              + abs
              + " cannot be created: "
              + e.getFile()
              + " is not a directory",
          e);
    } catch (AccessDeniedException e) {
      throw new FailedPreconditionException(
          "content store root " + abs + " is not writable: " + e.getFile(), e);
    } catch (FileSystemException e) {
      Path file = nonDirectoryAncestor(abs);
      if (file != null) { // ENOTDIR arrives as a bare FileSystemException
        throw new InvalidArgumentException(
            "content store root " + abs + " cannot be created: " + file + " is not a directory", e);
      }
      // EROFS and friends: the reason is in the message, the path in the file.
      throw new FailedPreconditionException(
          "content store root " + abs + " is not usable: " + e.getMessage(), e);
    }
    return layout;
  }

  /**
   * The layout of an existing store, creating nothing: for read-only commands.
   *
   * @throws dev.hoist.errors.NotFoundException when {@code root} is not a directory holding an
   *     {@code oci-layout} file
   */
  public static StoreLayout existing(Path root) {
    if (root == null) {
      throw new InvalidArgumentException("content store root: null");
    }
    Path abs = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new dev.hoist.errors.NotFoundException(
          "no content store at " + abs + ": no such directory");
    }
    if (!Files.isRegularFile(abs.resolve(OCI_LAYOUT_FILE))) {
      throw new dev.hoist.errors.NotFoundException(
          "no content store at " + abs + ": it has no " + OCI_LAYOUT_FILE + " file");
    }
    return new StoreLayout(abs);
  }

  public Path collectionLockFile() {
    return root.resolve("gc.lock");
  }

  /**
   * A new root is private to its user (mode 0700), as containerd's root is: nobody else can plant
   * links in it or read what was fetched. Parents created on the way get the same mode, as XDG
   * directories should. An existing root keeps its mode; {@link OwnFiles#requireOwnRoot} checks it.
   */
  private static void createPrivate(Path root) throws IOException {
    try {
      Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(root); // no POSIX modes here (Windows): the default ACL applies
    }
  }

  /** Creates a store sub-directory when missing; refuses a link or a foreign directory there. */
  void ownSubdirectory(Path dir) throws IOException {
    if (OwnFiles.lstat(dir) == null) {
      try {
        Files.createDirectory(dir);
        return;
      } catch (FileAlreadyExistsException e) {
        // made meanwhile by another store instance: check it like any existing one
      }
    }
    OwnFiles.requireOwnDirectory(dir, "content store directory");
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidArgumentException("content store directory " + dir + " is not a directory");
    }
  }

  private static Path nonDirectoryAncestor(Path p) {
    for (Path a = p; a != null; a = a.getParent()) {
      if (Files.exists(a)) {
        return Files.isDirectory(a) ? null : a;
      }
    }
    return null;
  }

  public Path root() {
    return root;
  }

  public Path blobsDir() {
    return blobs;
  }

  public Path ingestRoot() {
    return ingest;
  }

  public Path indexFile() {
    return root.resolve(INDEX_FILE);
  }

  public Path indexLockFile() {
    return root.resolve(INDEX_FILE + ".lock");
  }

  public Path labelsLockFile() {
    return labels.resolve(".lock");
  }

  /** {@code blobs/<alg>/<hex>}; the digest was validated on construction, re-checked here. */
  public Path blob(Digest digest) {
    return contained(blobs, digest.algorithm(), digest.encoded(), "");
  }

  public Path labels(Digest digest) {
    return contained(labels, digest.algorithm(), digest.encoded(), ".json");
  }

  /** {@code ingest/<sha256(ref)>}: any ref string maps to one safe directory name. */
  public Path ingestDir(String ref) {
    return ingest.resolve(Digest.sha256(ref).encoded());
  }

  private static Path contained(Path base, String alg, String hex, String suffix) {
    Path p = base.resolve(alg).resolve(hex + suffix).normalize();
    // Defence in depth: Digest admits only [a-z0-9] hex and known algorithms, so this holds.
    if (!p.getParent().getParent().equals(base)) {
      throw new InvalidArgumentException("digest " + alg + ":" + hex + " escapes " + base);
    }
    return p;
  }
}
