package dev.hoist.unpack.internal.tar;

import static dev.hoist.unpack.internal.tar.EntryNames.join;
import static dev.hoist.unpack.internal.tar.EntryNames.quote;

import dev.hoist.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OCI whiteout entries of one layer: {@code .wh.NAME} removes NAME of the lower layers, {@code
 * .wh..wh..opq} hides everything of the lower layers in its directory; the markers are never
 * written. Onto a whole tree they remove; for an overlay apply (lowers given) they also leave the
 * kernel's markers in the upper directory (a 0/0 device where a lower name is deleted, {@code
 * user.overlay.opaque=y} on an opaque directory). Not thread-safe; one instance per layer.
 */
final class Whiteouts {

  /** The prefix of every whiteout entry's base name. */
  static final String PREFIX = ".wh.";

  private static final String META = ".wh..wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private final RootResolver resolver;
  private final Lowers lowers;
  private final Set<String> layerPaths;

  /**
   * @param resolver resolves names inside the root (the upper directory for an overlay apply)
   * @param lowers the lower layers of an overlay apply, or null
   * @param layerPaths root-relative names the layer created or declared so far (shared, live)
   */
  Whiteouts(RootResolver resolver, Lowers lowers, Set<String> layerPaths) {
    this.resolver = resolver;
    this.lowers = lowers;
    this.layerPaths = layerPaths;
  }

  /** Applies the whiteout entry {@code name}: base name {@code base} in lexical {@code parent}. */
  void apply(String name, String parent, String base) throws IOException {
    String dir = resolver.resolveDir(parent, false, name);
    if (dir == null) {
      return; // nothing below to hide
    }
    if (base.equals(OPAQUE)) {
      opaque(dir);
      if (lowers != null) {
        OverlayFiles.opaque(resolver.abs(dir), name);
      }
      return;
    }
    if (base.startsWith(META)) {
      return; // aufs metadata (.wh..wh.plnk, .wh..wh.aufs): never materialised, as docker
    }
    String hidden = base.substring(PREFIX.length());
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new InvalidArgumentException(
          "tar entry " + quote(name) + ": whiteout of " + quote(hidden));
    }
    String rel = join(dir, hidden);
    if (layerPaths.contains(rel)) {
      return; // a whiteout hides lower layers only (OCI image spec, "Whiteouts")
    }
    resolver.remove(resolver.abs(rel));
    if (lowers != null && lowers.find(rel) != null) {
      OverlayFiles.whiteout(resolver.abs(rel), name);
    }
  }

  /**
   * Removes everything under {@code dir} that this layer did not create, at any depth: a lower
   * directory this layer re-declared keeps only this layer's entries. The marker may come after
   * entries of the same layer, so what this layer wrote is known by name, not by order.
   */
  private void opaque(String dir) throws IOException {
    BasicFileAttributes a = RootResolver.lstat(resolver.abs(dir));
    if (a == null || !a.isDirectory()) {
      return;
    }
    List<Path> children = new ArrayList<>();
    try (var s = Files.newDirectoryStream(resolver.abs(dir))) {
      s.forEach(children::add);
    }
    for (Path child : children) {
      String rel = join(dir, child.getFileName().toString());
      if (!layerPaths.contains(rel)) {
        resolver.remove(child);
      } else {
        BasicFileAttributes ca = RootResolver.lstat(child);
        if (ca != null && ca.isDirectory()) {
          opaque(rel);
        }
      }
    }
  }
}
