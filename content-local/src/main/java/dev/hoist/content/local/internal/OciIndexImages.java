package dev.hoist.content.local.internal;

import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotFoundException;
import dev.hoist.images.Image;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.MediaTypes;
import dev.hoist.spec.internal.Json;
import dev.hoist.spec.internal.JsonObject;
import dev.hoist.spec.internal.OciTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images kept as the manifests of the layout's {@code index.json}. Each entry is the image's target
 * descriptor with annotations {@code io.containerd.image.name}, the full name, and {@code
 * org.opencontainers.image.ref.name}, the full name too when the OCI grammar allows it (so {@code
 * skopeo inspect oci:<root>:<name>} finds it), else the name without its host ({@link RefNames}),
 * plus {@code dev.hoist.image.created}, {@code dev.hoist.image.updated} and {@code
 * dev.hoist.image.label.<key>} for the image's times and labels. Entries written by other tools are
 * kept untouched; one with only a {@code ref.name} is listed under that name.
 *
 * <p>Updates take {@code index.json.lock} (threads and processes), re-read the file under the lock,
 * and replace it atomically; readers need no lock because a rename is atomic.
 */
public final class OciIndexImages {

  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  public static final String CONTAINERD_NAME = "io.containerd.image.name";
  static final String CREATED = "dev.hoist.image.created";
  static final String UPDATED = "dev.hoist.image.updated";
  static final String LABEL_PREFIX = "dev.hoist.image.label.";

  private final StoreLayout layout;
  private final SharedFileLock lock;
  private final Clock clock;

  public OciIndexImages(StoreLayout layout, Clock clock) throws IOException {
    this(layout, clock, true);
  }

  /** As {@link #OciIndexImages(StoreLayout, Clock)}; {@code create} false writes nothing now. */
  public OciIndexImages(StoreLayout layout, Clock clock, boolean create) throws IOException {
    this.layout = layout;
    this.lock = new SharedFileLock(layout.indexLockFile());
    this.clock = clock;
    if (create && !Files.exists(layout.indexFile())) {
      lock.locked(
          () -> {
            if (!Files.exists(layout.indexFile())) {
              write(emptyIndex());
            }
            return null;
          });
    }
  }

  public Optional<Image> get(String name) throws IOException {
    checkName(name);
    for (Object entry : manifests(read())) {
      if (name.equals(nameOf(entry))) {
        return Optional.of(toImage(name, entry));
      }
    }
    return Optional.empty();
  }

  public List<Image> list() throws IOException {
    List<Image> out = new ArrayList<>();
    for (Object entry : manifests(read())) {
      String name = nameOf(entry);
      if (name != null) {
        out.add(toImage(name, entry));
      }
    }
    out.sort(Comparator.comparing(Image::name));
    return out;
  }

  public Image create(Image image) throws IOException {
    checkName(image.name());
    return lock.locked(
        () -> {
          Map<String, Object> index = read();
          if (find(index, image.name()) >= 0) {
            throw new AlreadyExistsException("image \"" + image.name() + "\" already exists");
          }
          Instant now = clock.instant();
          Image stored = new Image(image.name(), image.target(), image.labels(), now, now);
          manifests(index).add(toEntry(stored));
          write(index);
          return stored;
        });
  }

  public Image update(Image image) throws IOException {
    checkName(image.name());
    return lock.locked(
        () -> {
          Map<String, Object> index = read();
          int at = find(index, image.name());
          if (at < 0) {
            throw new NotFoundException("image \"" + image.name() + "\" not found");
          }
          Image old = toImage(image.name(), manifests(index).get(at));
          Instant now = clock.instant();
          Image stored =
              new Image(
                  image.name(),
                  image.target(),
                  image.labels(),
                  old.createdAt() != null ? old.createdAt() : now,
                  now);
          manifests(index).set(at, toEntry(stored));
          write(index);
          return stored;
        });
  }

  public void delete(String name) throws IOException {
    checkName(name);
    lock.locked(
        () -> {
          Map<String, Object> index = read();
          int at = find(index, name);
          if (at < 0) {
            throw new NotFoundException("image \"" + name + "\" not found");
          }
          manifests(index).remove(at);
          write(index);
          return null;
        });
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("image name must not be empty");
    }
  }

  private static int find(Map<String, Object> index, String name) {
    List<Object> m = manifests(index);
    for (int i = 0; i < m.size(); i++) {
      if (name.equals(nameOf(m.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  private static String nameOf(Object entry) {
    Object ann = entry instanceof Map ? ((Map<?, ?>) entry).get("annotations") : null;
    if (!(ann instanceof Map)) {
      return null;
    }
    Map<?, ?> a = (Map<?, ?>) ann;
    Object n = a.get(CONTAINERD_NAME) != null ? a.get(CONTAINERD_NAME) : a.get(REF_NAME);
    return n instanceof String ? (String) n : null;
  }

  private Image toImage(String name, Object entry) {
    Descriptor d = bind(entry);
    Map<String, String> annotations = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    d.annotations()
        .forEach(
            (k, v) -> {
              if (k.startsWith(LABEL_PREFIX)) {
                labels.put(k.substring(LABEL_PREFIX.length()), v);
              } else if (!k.equals(REF_NAME)
                  && !k.equals(CONTAINERD_NAME)
                  && !k.equals(CREATED)
                  && !k.equals(UPDATED)) {
                annotations.put(k, v);
              }
            });
    return new Image(
        name,
        d.withAnnotations(annotations),
        labels,
        time(d.annotation(CREATED)),
        time(d.annotation(UPDATED)));
  }

  private static Object toEntry(Image image) {
    Map<String, String> ann = new HashMap<>(image.target().annotations());
    String refName = RefNames.annotation(image.name());
    if (refName != null) {
      ann.put(REF_NAME, refName);
    } else {
      ann.remove(REF_NAME);
    }
    ann.put(CONTAINERD_NAME, image.name());
    ann.put(CREATED, IsoInstants.format(image.createdAt()));
    ann.put(UPDATED, IsoInstants.format(image.updatedAt()));
    image.labels().forEach((k, v) -> ann.put(LABEL_PREFIX + k, v));
    return OciTrees.tree(image.target().withAnnotations(ann));
  }

  private Descriptor bind(Object entry) {
    try {
      return OciTrees.descriptor(JsonObject.of(entry, "manifests[]"));
    } catch (RuntimeException e) {
      throw new InvalidArgumentException(
          layout.indexFile() + ": invalid manifest entry: " + e.getMessage(), e);
    }
  }

  private static Instant time(String s) {
    try {
      return s == null ? null : IsoInstants.parse(s);
    } catch (DateTimeException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> manifests(Map<String, Object> index) {
    Object m = index.get("manifests");
    if (!(m instanceof List)) {
      List<Object> fresh = new ArrayList<>();
      index.put("manifests", fresh);
      return fresh;
    }
    return (List<Object>) m;
  }

  private static Map<String, Object> emptyIndex() {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2L);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    index.put("manifests", new ArrayList<>());
    return index;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> read() throws IOException {
    Path p = layout.indexFile();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return emptyIndex();
    }
    Object node;
    try {
      node = Json.parse(bytes);
    } catch (IOException e) {
      throw new InvalidArgumentException(
          p + " is not a valid OCI image index: " + e.getMessage(), e);
    }
    if (!(node instanceof Map)) {
      throw new InvalidArgumentException(p + " is not a valid OCI image index: not a JSON object");
    }
    return (Map<String, Object>) node;
  }

  /** Under the lock: drops temp files of writers that died, then replaces index.json atomically. */
  private void write(Map<String, Object> index) throws IOException {
    Path p = layout.indexFile();
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(p.getParent(), p.getFileName() + ".*" + FileOps.TMP_SUFFIX)) {
      for (Path t : stale) {
        Files.deleteIfExists(t);
      }
    }
    FileOps.writeAtomically(p, Json.write(index));
  }
}
