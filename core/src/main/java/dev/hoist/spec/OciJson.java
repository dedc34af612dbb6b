package dev.hoist.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.NotImplementedException;
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
  static final int MAX_NESTING = 64;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  static {
    MAPPER.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
  }

  private OciJson() {}

  /** The shared mapper: immutable configuration, thread-safe. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static Manifest readManifest(byte[] json, String source) {
    JsonNode node = tree(json, source);
    rejectSchema1(node, source);
    return bind(node, Manifest.class, source);
  }

  public static Index readIndex(byte[] json, String source) {
    return bind(tree(json, source), Index.class, source);
  }

  public static ImageConfig readConfig(byte[] json, String source) {
    return bind(tree(json, source), ImageConfig.class, source);
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** The {@code mediaType} field of a manifest or index document, or null when absent. */
  public static String mediaTypeOf(byte[] json, String source) {
    JsonNode mt = tree(json, source).get("mediaType");
    return mt == null || !mt.isTextual() ? null : mt.asText();
  }

  private static JsonNode tree(byte[] json, String source) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new InvalidArgumentException(source + ": not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidArgumentException(source + ": invalid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static <T> T bind(JsonNode node, Class<T> type, String source) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException | RuntimeException e) {
      throw new InvalidArgumentException(
          source + ": invalid " + type.getSimpleName() + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static void rejectSchema1(JsonNode node, String source) {
    JsonNode v = node.get("schemaVersion");
    JsonNode mt = node.get("mediaType");
    if ((v != null && v.asInt() == 1) || (mt != null && MediaTypes.isSchema1(mt.asText()))) {
      throw new NotImplementedException(
          source + ": Docker schema 1 manifests are not supported; push the image again with a current client");
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
