package dev.hoist.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoist.errors.HoistException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
import dev.hoist.spec.internal.OciMapper;
import java.io.IOException;

/**
 * Reads and writes the OCI JSON documents. Every read failure is an {@link
 * InvalidArgumentException} naming the source; Docker schema 1 is refused with {@link
 * NotImplementedException}.
 */
public final class OciJson {

  /** containerd's manifest size limit: 4 × 1048 × 1048 bytes. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 4L * 1048 * 1048;

  /** Nesting deeper than this is refused (JSON bombs); OCI documents need fewer than 10 levels. */
  static final int MAX_NESTING = OciMapper.MAX_NESTING;

  private static final ObjectMapper MAPPER = OciMapper.shared();

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
    JsonNode node = tree(json, source);
    rejectSchema1(node, source);
    // As containerd's validateMediaType: a manifest must not look like an index, so a registry
    // cannot make one document mean different things to different readers.
    String mediaType = textField(node, "mediaType");
    if (node.has("manifests") || MediaTypes.isIndex(mediaType)) {
      throw new InvalidArgumentException(
          source
              + ": expected a manifest but found an index"
              + (mediaType == null ? "" : " (" + mediaType + ")"));
    }
    Manifest manifest = bind(node, Manifest.class, source);
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
    JsonNode node = tree(json, source);
    rejectSchema1(node, source);
    String mediaType = textField(node, "mediaType");
    if (node.has("config") || node.has("layers") || MediaTypes.isManifest(mediaType)) {
      throw new InvalidArgumentException(
          source
              + ": expected an index but found a manifest"
              + (mediaType == null ? "" : " (" + mediaType + ")"));
    }
    return bind(node, Index.class, source);
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
    return bind(tree(json, source), ImageConfig.class, source);
  }

  /**
   * Writes {@code value} (a spec record) as compact JSON with map keys sorted.
   *
   * @param value the record to write
   * @return the UTF-8 JSON bytes
   */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
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
    return textField(tree(json, source), "mediaType");
  }

  private static JsonNode tree(byte[] json, String source) {
    if (json == null) {
      throw new InvalidArgumentException(source + ": no content (null)");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidArgumentException(source + ": invalid JSON: " + reason(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidArgumentException(source + ": not a JSON object");
    }
    return node;
  }

  private static <T> T bind(JsonNode node, Class<T> type, String source) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException | RuntimeException e) {
      throw new InvalidArgumentException(
          source + ": invalid " + type.getSimpleName() + ": " + reason(e), e);
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

  private static void rejectSchema1(JsonNode node, String source) {
    JsonNode v = node.get("schemaVersion");
    String mt = textField(node, "mediaType");
    if ((v != null && v.asInt() == 1) || MediaTypes.isSchema1(mt) || node.has("fsLayers")) {
      throw new NotImplementedException(
          source
              + ": Docker schema 1 manifests are not supported; push the image again with a current client");
    }
  }

  private static String textField(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
