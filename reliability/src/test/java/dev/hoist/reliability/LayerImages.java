package dev.hoist.reliability;

import dev.hoist.digest.Digest;
import dev.hoist.remotes.docker.testing.DistributionRegistry;
import dev.hoist.remotes.docker.testing.RegistryPusher;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.OciJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Real image layers for pull tests: gzip-compressed tars written entry by entry (files,
 * directories, symlinks, hardlinks, whiteouts), and images of them pushed to a registry.
 */
final class LayerImages {

  private LayerImages() {}

  /** A gzip tar layer and its DiffID. */
  record Layer(byte[] gzip, Digest diffId) {
    Digest digest() {
      return Digest.sha256(gzip);
    }
  }

  /** Builds one layer. Entry times are fixed so that layers are reproducible. */
  static final class LayerBuilder {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out;
    private static final long MTIME = 1_600_000_000_000L;

    LayerBuilder() {
      out = new TarArchiveOutputStream(tar);
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    LayerBuilder dir(String name, int mode) {
      TarArchiveEntry e =
          new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
      e.setMode(mode);
      e.setModTime(MTIME);
      return put(e, null);
    }

    LayerBuilder file(String name, int mode, String content) {
      return file(name, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    LayerBuilder file(String name, int mode, byte[] content) {
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setMode(mode);
      e.setSize(content.length);
      e.setModTime(MTIME + name.length() * 1000L);
      return put(e, content);
    }

    LayerBuilder symlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
      e.setLinkName(target);
      e.setModTime(MTIME);
      e.setMode(0777);
      return put(e, null);
    }

    /**
     * A hardlink entry carrying its target's mode and mtime, as GNU tar and Docker write them (both
     * name one inode when the layer is made).
     */
    LayerBuilder hardlink(String name, String target, int targetMode) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
      e.setLinkName(target);
      e.setMode(targetMode);
      e.setModTime(MTIME + target.length() * 1000L);
      return put(e, null);
    }

    /**
     * A hardlink entry with a mode and mtime of its own: containerd puts them on the inode the link
     * shares with its target.
     */
    LayerBuilder hardlinkRetagged(String name, String target, int mode, long mtimeMillis) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
      e.setLinkName(target);
      e.setMode(mode);
      e.setModTime(mtimeMillis);
      return put(e, null);
    }

    /** {@code dir/.wh.name}: deletes {@code dir/name} of lower layers. */
    LayerBuilder whiteout(String dir, String name) {
      return file(dir + "/.wh." + name, 0644, new byte[0]);
    }

    /** {@code dir/.wh..wh..opq}: hides everything lower layers put in {@code dir}. */
    LayerBuilder opaque(String dir) {
      return file(dir + "/.wh..wh..opq", 0644, new byte[0]);
    }

    /** {@code count} small files under {@code dir}, to make an apply take a while. */
    LayerBuilder manyFiles(String dir, int count) {
      dir(dir, 0755);
      for (int i = 0; i < count; i++) {
        file(dir + "/f" + i, 0644, "file " + i + "\n".repeat(1 + i % 7));
      }
      return this;
    }

    private LayerBuilder put(TarArchiveEntry e, byte[] content) {
      try {
        out.putArchiveEntry(e);
        if (content != null) {
          out.write(content);
        }
        out.closeArchiveEntry();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return this;
    }

    Layer build() {
      try {
        out.finish();
        out.close();
        byte[] raw = tar.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
          z.write(raw);
        }
        return new Layer(gz.toByteArray(), Digest.sha256(raw));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  /**
   * The base layer: directories, files with modes, a symlink, a hardlink, a doc to be whited out.
   */
  static Layer base() {
    return new LayerBuilder()
        .dir("etc", 0755)
        .file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n")
        .file("etc/shadow", 0640, "root:*:19000:0:99999:7:::\n")
        .dir("bin", 0755)
        .file("bin/tool", 0755, "#!/bin/sh\necho tool\n")
        .hardlink("bin/tool-again", "bin/tool", 0755)
        .symlink("bin/sh-link", "tool")
        .dir("usr", 0755)
        .dir("usr/share", 0755)
        .dir("usr/share/doc", 0755)
        .file("usr/share/doc/readme", 0644, "read me\n")
        .file("usr/share/doc/gone", 0644, "whited out later\n")
        .dir("usr/share/hidden", 0700)
        .file("usr/share/hidden/old", 0600, "hidden by an opaque dir later\n")
        .dir("tmp", 01777)
        .build();
  }

  /**
   * A middle layer: a whiteout, an opaque directory, a replaced file, a hardlink to a lower file.
   */
  static Layer middle() {
    return new LayerBuilder()
        .dir("usr/share/doc", 0755)
        .whiteout("usr/share/doc", "gone")
        .dir("usr/share/hidden", 0755)
        .opaque("usr/share/hidden")
        .file("usr/share/hidden/new", 0644, "kept: same layer as the opaque marker\n")
        .file("etc/passwd", 0644, "root:x:0:0:root:/root:/bin/bash\n")
        .hardlink("etc/passwd-link", "etc/passwd", 0644)
        .hardlinkRetagged("bin/tool-third", "bin/tool", 0750, 1_600_086_400_000L)
        .build();
  }

  /** A top layer unique to one image. */
  static Layer top(String name) {
    return new LayerBuilder()
        .dir("app", 0755)
        .file("app/" + name, 0644, "app " + name + "\n")
        .build();
  }

  /** Pushes an image of {@code layers} as {@code repo:tag}; returns the manifest descriptor. */
  static Descriptor push(
      DistributionRegistry registry, String repo, String tag, List<Layer> layers) {
    RegistryPusher pusher = RegistryPusher.to(registry);
    List<Descriptor> descs = new ArrayList<>();
    List<String> diffIds = new ArrayList<>();
    List<Map<String, Object>> history = new ArrayList<>();
    for (Layer l : layers) {
      pusher.pushBlob(repo, l.gzip());
      descs.add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, l.digest(), l.gzip().length));
      diffIds.add(l.diffId().toString());
      history.add(Map.of("created_by", "layer " + history.size()));
    }
    history.add(Map.of("created_by", "ENV x=y", "empty_layer", true));
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", "layers");
    rootfs.put("diff_ids", diffIds);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put("rootfs", rootfs);
    config.put("history", history);
    byte[] configJson;
    try {
      configJson = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pusher.pushBlob(repo, configJson);
    Descriptor configDesc =
        Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(configJson), configJson.length);
    byte[] manifest =
        OciJson.write(
            new Manifest(2, MediaTypes.OCI_MANIFEST, null, configDesc, descs, null, Map.of()));
    pusher.pushManifest(repo, tag, MediaTypes.OCI_MANIFEST, manifest);
    return Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
  }
}
