package dev.hoist.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.spec.internal.Json;
import dev.hoist.spec.internal.JsonObject;
import dev.hoist.spec.internal.OciTrees;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes the OCI JSON documents. Every read failure is an {@link
 * InvalidArgumentException} naming the source; Docker schema 1 is refused with {@link
 * NotImplementedException}.
 */
public final class OciJson {

  /** containerd's manifest size limit: 4 × 1048 × 1048 bytes. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 4L * 1048 * 1048;

  /** Nesting deeper than this is refused (JSON bombs); OCI documents need fewer than 10 levels. */
  static final int MAX_NESTING = Json.MAX_NESTING;

  private OciJson() {}

  /**
   * Reads an image manifest (OCI or Docker schema 2).
   *
   * @param json the document's bytes
   * @param source names the document in error messages, e.g. its digest
   * @return the manifest
   * @throws NotImplementedException for Docker schema 1
   * @throws InvalidArgumentException naming {@code source} for anything else that is not a
   *     manifest: not JSON, not an object, an index, no config, a bad descriptor
   */
  public static Manifest readManifest(byte[] json, String source) {
    JsonObject node = tree(json, source);
    rejectSchema1(node, source);
    // As containerd's validateMediaType: a manifest must not look like an index, so a registry
    // cannot make one document mean different things to different readers.
    String mediaType = node.stringOrNull("mediaType");
    if (node.has("manifests") || MediaTypes.isIndex(mediaType)) {
      throw new InvalidArgumentException(
          source
              + ": expected a manifest but found an index"
              + (mediaType == null ? "" : " (" + mediaType + ")"));
    }
    Manifest manifest = bind(node, OciTrees::manifest, "Manifest", source);
    if (manifest.config() == null) {
      throw new InvalidArgumentException(
          source + ": missing config (a manifest must name its config)");
    }
    return manifest;
  }

  /**
   * Reads an image index (OCI) or manifest list (Docker).
   *
   * @param json the document's bytes
   * @param source names the document in error messages, e.g. its digest
   * @return the index
   * @throws NotImplementedException for Docker schema 1
   * @throws InvalidArgumentException naming {@code source} for anything else that is not an index
   */
  public static Index readIndex(byte[] json, String source) {
    JsonObject node = tree(json, source);
    rejectSchema1(node, source);
    String mediaType = node.stringOrNull("mediaType");
    if (node.has("config") || node.has("layers") || MediaTypes.isManifest(mediaType)) {
      throw new InvalidArgumentException(
          source
              + ": expected an index but found a manifest"
              + (mediaType == null ? "" : " (" + mediaType + ")"));
    }
    return bind(node, OciTrees::index, "Index", source);
  }

  /**
   * Reads the parts of an image configuration Hoist uses; other fields are ignored.
   *
   * @param json the document's bytes
   * @param source names the document in error messages, e.g. its digest
   * @return the configuration
   * @throws InvalidArgumentException naming {@code source} when it is not a JSON object or a field
   *     has the wrong type
   */
  public static ImageConfig readConfig(byte[] json, String source) {
    return bind(tree(json, source), OciTrees::config, "ImageConfig", source);
  }

  /**
   * Writes {@code value} (a spec record, or maps, lists and scalars holding them) as compact JSON
   * with map keys sorted.
   *
   * @param value the value to write
   * @return the UTF-8 JSON bytes
   */
  public static byte[] write(Object value) {
    return Json.write(OciTrees.tree(value));
  }

  /**
   * The {@code mediaType} field of a manifest or index document, or null when absent.
   *
   * @param json the document's bytes
   * @param source names the document in error messages, e.g. its digest
   * @return the field's value, or null when absent or not a string
   * @throws InvalidArgumentException naming {@code source} when it is not a JSON object
   */
  public static String mediaTypeOf(byte[] json, String source) {
    return tree(json, source).stringOrNull("mediaType");
  }

  private static JsonObject tree(byte[] json, String source) {
    if (json == null) {
      throw new InvalidArgumentException(source + ": no content (null)");
    }
    Object value;
    try {
      value = Json.parse(json);
    } catch (IOException e) {
      throw new InvalidArgumentException(source + ": invalid JSON: " + reason(e), e);
    }
    if (!(value instanceof Map)) {
      throw new InvalidArgumentException(source + ": not a JSON object");
    }
    return JsonObject.of(value, "");
  }

  private static <T> T bind(
      JsonObject node, Function<JsonObject, T> reader, String type, String source) {
    try {
      return reader.apply(node);
    } catch (RuntimeException e) {
      throw new InvalidArgumentException(source + ": invalid " + type + ": " + reason(e), e);
    }
  }

  /** Our own validation message when a record constructor refused a value, else Jackson's. */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HoistException) {
        return t.getMessage();
      }
    }
    String message =
        e instanceof JsonProcessingException
            ? ((JsonProcessingException) e).getOriginalMessage()
            : e.getMessage();
    return firstLine(message);
  }

  private static void rejectSchema1(JsonObject node, String source) {
    Object v = node.get("schemaVersion");
    String mt = node.stringOrNull("mediaType");
    boolean one = v instanceof Number ? ((Number) v).doubleValue() == 1 : "1".equals(v);
    if (one || MediaTypes.isSchema1(mt) || node.has("fsLayers")) {
      throw new NotImplementedException(
          source
              + ": Docker schema 1 manifests are not supported; push the image again with a current client");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
