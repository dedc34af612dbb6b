package dev.hoist.spec.internal;

import dev.hoist.digest.Digest;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.ImageConfig;
import dev.hoist.spec.Index;
import dev.hoist.spec.Manifest;
import dev.hoist.spec.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI records to and from {@link Json} values, field by field. Reading is as strict as Go's
 * {@code encoding/json} for these types (a string is a string, a size an integer that fits) and
 * ignores unknown fields; the records validate what they hold. Writing follows the image spec's
 * field order and leaves out empty optional fields, so documents written by Go tools round-trip
 * byte for byte. Internal: not API.
 */
public final class OciTrees {

  private OciTrees() {}

  /**
   * Reads a manifest.
   *
   * @param o the document's object
   * @return the manifest
   * @throws InvalidArgumentException naming the field that is wrong
   */
  public static Manifest manifest(JsonObject o) {
    return new Manifest(
        o.intValue("schemaVersion"),
        o.string("mediaType"),
        o.string("artifactType"),
        descriptor(o.object("config")),
        descriptors(o, "layers"),
        descriptor(o.object("subject")),
        o.stringMap("annotations"));
  }

  /**
   * Reads an index.
   *
   * @param o the document's object
   * @return the index
   * @throws InvalidArgumentException naming the field that is wrong
   */
  public static Index index(JsonObject o) {
    return new Index(
        o.intValue("schemaVersion"),
        o.string("mediaType"),
        o.string("artifactType"),
        descriptors(o, "manifests"),
        descriptor(o.object("subject")),
        o.stringMap("annotations"));
  }

  /**
   * Reads the parts of an image configuration Hoist uses.
   *
   * @param o the document's object
   * @return the configuration
   * @throws InvalidArgumentException naming the field that is wrong
   */
  public static ImageConfig config(JsonObject o) {
    JsonObject r = o.object("rootfs");
    return new ImageConfig(
        o.string("architecture"),
        o.string("os"),
        o.string("variant"),
        o.string("os.version"),
        o.strings("os.features"),
        o.string("created"),
        r == null ? null : new ImageConfig.RootFs(r.string("type"), r.strings("diff_ids")));
  }

  /**
   * Reads a descriptor.
   *
   * @param o the descriptor's object, nullable
   * @return the descriptor, or null for null
   * @throws InvalidArgumentException naming the field that is wrong
   */
  public static Descriptor descriptor(JsonObject o) {
    if (o == null) {
      return null;
    }
    String digest = o.string("digest");
    return new Descriptor(
        o.string("mediaType"),
        digest == null ? null : Digest.parse(digest),
        o.longValue("size"),
        o.strings("urls"),
        o.stringMap("annotations"),
        platform(o.object("platform")),
        o.string("artifactType"));
  }

  /**
   * Reads a platform.
   *
   * @param o the platform's object, nullable
   * @return the platform, or null for null
   * @throws InvalidArgumentException naming the field that is wrong
   */
  public static Platform platform(JsonObject o) {
    if (o == null) {
      return null;
    }
    return new Platform(
        o.string("os"),
        o.string("architecture"),
        o.string("variant"),
        o.string("os.version"),
        o.strings("os.features"));
  }

  private static List<Descriptor> descriptors(JsonObject o, String name) {
    List<Object> a = o.array(name);
    if (a == null) {
      return null;
    }
    List<Descriptor> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(descriptor(JsonObject.of(a.get(i), o.at(name) + "[" + i + "]")));
    }
    return out;
  }

  /**
   * A spec record as a {@link Json} value; maps (keys sorted), lists and scalars are taken as they
   * are, with the spec records in them converted.
   *
   * @param value a {@link Manifest}, {@link Index}, {@link ImageConfig}, {@link Descriptor}, {@link
   *     Platform}, or a map, list, string, number, boolean or null
   * @return the value to write
   * @throws IllegalArgumentException for anything else
   */
  public static Object tree(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    } else if (value instanceof Map) {
      Map<String, Object> sorted = new TreeMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> sorted.put(String.valueOf(k), tree(v)));
      return sorted;
    } else if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) value) {
        out.add(tree(e));
      }
      return out;
    }
    return record(value);
  }

  private static Object record(Object value) {
    if (value instanceof Descriptor) {
      return descriptor((Descriptor) value);
    } else if (value instanceof Manifest) {
      Manifest m = (Manifest) value;
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("schemaVersion", (long) m.schemaVersion());
      putText(o, "mediaType", m.mediaType());
      putText(o, "artifactType", m.artifactType());
      putIfPresent(o, "config", m.config() == null ? null : descriptor(m.config()));
      o.put("layers", descriptors(m.layers()));
      putIfPresent(o, "subject", m.subject() == null ? null : descriptor(m.subject()));
      putMap(o, "annotations", m.annotations());
      return o;
    } else if (value instanceof Index) {
      Index x = (Index) value;
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("schemaVersion", (long) x.schemaVersion());
      putText(o, "mediaType", x.mediaType());
      putText(o, "artifactType", x.artifactType());
      o.put("manifests", descriptors(x.manifests()));
      putIfPresent(o, "subject", x.subject() == null ? null : descriptor(x.subject()));
      putMap(o, "annotations", x.annotations());
      return o;
    } else if (value instanceof Platform) {
      return platform((Platform) value);
    } else if (value instanceof ImageConfig) {
      ImageConfig c = (ImageConfig) value;
      Map<String, Object> o = new LinkedHashMap<>();
      putText(o, "architecture", c.architecture());
      putText(o, "os", c.os());
      putText(o, "variant", c.variant());
      putText(o, "os.version", c.osVersion());
      putList(o, "os.features", c.osFeatures());
      putText(o, "created", c.created());
      if (c.rootfs() != null) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", c.rootfs().type());
        r.put("diff_ids", c.rootfs().diffIds());
        o.put("rootfs", r);
      }
      return o;
    }
    throw new IllegalArgumentException(
        "not a spec record: " + (value == null ? "null" : value.getClass().getName()));
  }

  private static List<Object> descriptors(List<Descriptor> list) {
    List<Object> out = new ArrayList<>(list.size());
    for (Descriptor d : list) {
      out.add(descriptor(d));
    }
    return out;
  }

  private static Map<String, Object> descriptor(Descriptor d) {
    Map<String, Object> o = new LinkedHashMap<>();
    putText(o, "mediaType", d.mediaType());
    o.put("digest", d.digest().toString());
    o.put("size", d.size());
    putList(o, "urls", d.urls());
    putMap(o, "annotations", d.annotations());
    putIfPresent(o, "platform", d.platform() == null ? null : platform(d.platform()));
    putText(o, "artifactType", d.artifactType());
    return o;
  }

  // The field order of the image spec's Go type, so documents written by Go tools round-trip.
  private static Map<String, Object> platform(Platform p) {
    Map<String, Object> o = new LinkedHashMap<>();
    putText(o, "architecture", p.architecture());
    putText(o, "os", p.os());
    putText(o, "os.version", p.osVersion());
    putList(o, "os.features", p.osFeatures());
    putText(o, "variant", p.variant());
    return o;
  }

  private static void putText(Map<String, Object> o, String name, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(name, value);
    }
  }

  private static void putIfPresent(Map<String, Object> o, String name, Object value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static void putList(Map<String, Object> o, String name, List<String> value) {
    if (!value.isEmpty()) {
      o.put(name, value);
    }
  }

  // The records keep their maps sorted by key: written in that order, as Go writes map keys.
  private static void putMap(Map<String, Object> o, String name, Map<String, String> value) {
    if (!value.isEmpty()) {
      o.put(name, value);
    }
  }
}
