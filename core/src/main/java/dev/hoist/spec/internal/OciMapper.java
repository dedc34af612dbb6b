package dev.hoist.spec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The Jackson mapper behind {@code OciJson}, shared with Hoist's other modules (content-local's
 * {@code index.json}). Internal: Jackson stays out of Hoist's public signatures, and a mapper
 * handed to users could be reconfigured under every other reader.
 */
public final class OciMapper {

  /** Nesting deeper than this is refused (JSON bombs); OCI documents need fewer than 10 levels. */
  public static final int MAX_NESTING = 64;

  private static final ObjectMapper SHARED = newMapper();

  private OciMapper() {}

  /**
   * The shared, thread-safe mapper: strict numbers, no duplicate keys, bounded nesting, sorted map
   * keys. Callers must not reconfigure it.
   *
   * @return the mapper
   */
  public static ObjectMapper shared() {
    return SHARED;
  }

  private static ObjectMapper newMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            // Nesting deeper than any OCI document refuses JSON bombs before they cost anything.
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            // A digest-verified document must mean one thing to every reader: no duplicate keys.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Keep document text out of exception messages.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    JsonMapper mapper =
        JsonMapper.builder(factory)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    // "size": "12" is not a number (Go's encoding/json refuses it too).
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper;
  }
}
