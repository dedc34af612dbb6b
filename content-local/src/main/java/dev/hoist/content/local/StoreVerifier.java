package dev.hoist.content.local;

import dev.hoist.content.ContentInfo;
import dev.hoist.digest.Digest;
import dev.hoist.digest.Digester;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.gc.Reachability;
import dev.hoist.images.Handler;
import dev.hoist.images.Handlers;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a {@link LocalContentStore} as {@code hoist content verify} does: every blob re-hashed
 * against its name, files under {@code blobs/} that are not content, and blobs an image needs that
 * are missing. With repair, damaged blobs are removed (with their labels), so that the next fetch
 * of an image that needs them downloads them again instead of taking them as "exists".
 *
 * <p>What counts as missing: an image's root, and the config of a manifest that is in the store
 * (every fetch mode stores a manifest with its config). A manifest an index lists but the store
 * lacks is a platform that was not fetched, and a layer a stored manifest lists but the store lacks
 * may have been left out on purpose ({@code --metadata-only}, {@code --all-metadata}): those are
 * counted in {@link Report#layersNotStored()}, not reported as damage; {@code hoist images check}
 * tells per image and platform.
 */
public final class StoreVerifier {

  /**
   * A blob whose bytes do not match its name.
   *
   * @param digest the blob
   * @param problem what is wrong
   * @param images the names of the images that reach it
   */
  public record Damaged(Digest digest, String problem, List<String> images) {
    /**
     * Copies {@code images}.
     *
     * @param digest the blob
     * @param problem what is wrong
     * @param images the names of the images that reach it
     */
    public Damaged {
      images = List.copyOf(images);
    }
  }

  /**
   * A blob an image needs that is not in the store.
   *
   * @param digest the blob
   * @param role {@code root} or {@code config}
   * @param images the names of the images that need it
   */
  public record Missing(Digest digest, String role, List<String> images) {
    /**
     * Copies {@code images}.
     *
     * @param digest the blob
     * @param role {@code root} or {@code config}
     * @param images the names of the images that need it
     */
    public Missing {
      images = List.copyOf(images);
    }
  }

  /**
   * The result.
   *
   * @param checked how many blobs were re-hashed
   * @param damaged damaged blobs, by digest
   * @param missing missing blobs, by digest
   * @param stray paths (relative to the root) under {@code blobs/} that are not content
   * @param layersNotStored layers listed by stored manifests that are not in the store
   * @param repaired damaged blobs removed
   */
  public record Report(
      int checked,
      List<Damaged> damaged,
      List<Missing> missing,
      List<String> stray,
      int layersNotStored,
      List<Digest> repaired) {
    /**
     * Copies the lists.
     *
     * @param checked how many blobs were re-hashed
     * @param damaged damaged blobs, by digest
     * @param missing missing blobs, by digest
     * @param stray paths (relative to the root) under {@code blobs/} that are not content
     * @param layersNotStored layers listed by stored manifests that are not in the store
     * @param repaired damaged blobs removed
     */
    public Report {
      damaged = List.copyOf(damaged);
      missing = List.copyOf(missing);
      stray = List.copyOf(stray);
      repaired = List.copyOf(repaired);
    }

    /** {@return true when nothing is damaged, missing or stray} */
    public boolean ok() {
      return damaged.isEmpty() && missing.isEmpty() && stray.isEmpty();
    }
  }

  private StoreVerifier() {}

  /**
   * Verifies {@code store}.
   *
   * @param store the store
   * @param repair remove damaged blobs
   * @return the report
   * @throws IOException when the store cannot be read
   */
  public static Report verify(LocalContentStore store, boolean repair) throws IOException {
    Objects.requireNonNull(store, "store");
    List<Image> images = store.list();
    Map<Digest, Set<String>> owners = new TreeMap<>();
    for (Image image : images) {
      for (Digest d : Reachability.from(store, image.target())) {
        owners.computeIfAbsent(d, k -> new TreeSet<>()).add(image.name());
      }
    }
    List<ContentInfo> infos = new ArrayList<>();
    store.walk(i -> true, infos::add);
    List<Damaged> damaged = new ArrayList<>();
    List<Digest> repaired = new ArrayList<>();
    for (ContentInfo info : infos) {
      String problem = check(store, info.digest());
      if (problem == null) {
        continue;
      }
      damaged.add(
          new Damaged(
              info.digest(), problem, List.copyOf(owners.getOrDefault(info.digest(), Set.of()))));
      if (repair) {
        try {
          store.deleteBlob(info.digest());
          repaired.add(info.digest());
        } catch (NotFoundException e) {
          // removed meanwhile: repaired all the same
          repaired.add(info.digest());
        }
      }
    }
    Map<Digest, Missing> missing = new TreeMap<>();
    int[] layersNotStored = {0};
    for (Image image : images) {
      walkNeeds(store, image, missing, layersNotStored);
    }
    return new Report(
        infos.size(),
        damaged,
        new ArrayList<>(missing.values()),
        stray(store.root()),
        layersNotStored[0],
        repaired);
  }

  /**
   * Checks one blob.
   *
   * @param store the store
   * @param digest the blob's digest
   * @return null when the blob hashes to its name and is a regular file, else what is wrong
   */
  public static String check(LocalContentStore store, Digest digest) {
    Path file = store.root().resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return "not a regular file";
    }
    Digester d = Digester.of(digest.algorithm());
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    try (SeekableByteChannel ch =
        store.open(Descriptor.of("application/octet-stream", digest, 0))) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        d.update(buf);
        buf.clear();
      }
    } catch (IOException | RuntimeException e) {
      return "unreadable: " + e.getMessage();
    }
    Digest actual = d.digest();
    return actual.equals(digest) ? null : "content hashes to " + actual;
  }

  private static void walkNeeds(
      LocalContentStore store, Image image, Map<Digest, Missing> missing, int[] layersNotStored)
      throws IOException {
    Handler children = Handlers.children(store);
    Deque<Descriptor> work = new ArrayDeque<>();
    Set<Digest> seen = new HashSet<>();
    work.push(image.target());
    boolean root = true;
    while (!work.isEmpty()) {
      Descriptor desc = work.pop();
      if (!seen.add(desc.digest())) {
        continue;
      }
      if (!store.exists(desc.digest())) {
        if (root) {
          need(missing, desc.digest(), "root", image.name());
        }
        root = false;
        continue;
      }
      root = false;
      if (!MediaTypes.isManifestOrIndex(desc.mediaType())) {
        continue;
      }
      List<Descriptor> found;
      try {
        found = children.handle(desc);
      } catch (HoistException e) {
        continue; // a damaged document is reported as damaged
      }
      if (MediaTypes.isManifest(desc.mediaType())) {
        for (int i = 0; i < found.size(); i++) {
          Descriptor child = found.get(i);
          if (store.exists(child.digest())) {
            continue;
          }
          if (i == 0) {
            need(missing, child.digest(), "config", image.name());
          } else {
            layersNotStored[0]++;
          }
        }
      } else {
        found.forEach(work::push);
      }
    }
  }

  private static void need(Map<Digest, Missing> missing, Digest d, String role, String image) {
    Missing old = missing.get(d);
    Set<String> names = new TreeSet<>(old == null ? List.of() : old.images());
    names.add(image);
    missing.put(d, new Missing(d, old == null ? role : old.role(), List.copyOf(names)));
  }

  /** Entries under {@code blobs/} that are not {@code <known alg>/<valid hex>} regular files. */
  private static List<String> stray(Path root) throws IOException {
    Path blobs = root.resolve("blobs");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> algs = Files.newDirectoryStream(blobs)) {
      for (Path alg : algs) {
        String a = alg.getFileName().toString();
        boolean known = a.equals(Digest.SHA256) || a.equals(Digest.SHA512);
        if (!known || !Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
          out.add(root.relativize(alg).toString());
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
          for (Path f : files) {
            if (!Digest.isValid(a + ":" + f.getFileName())) {
              out.add(root.relativize(f).toString());
            }
          }
        }
      }
    }
    out.sort(null);
    return out;
  }
}
