package dev.hoist.spec.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values, on Jackson's streaming parser and generator. Hoist reads and writes
 * small documents (manifests, indexes, configs, {@code index.json}, labels, registry replies) whose
 * shapes it checks field by field; Jackson's data binding costs a fresh JVM about 0.1 s of
 * introspection before the first document, more than a whole fetch of a small image.
 *
 * <p>A document becomes: {@link Map} (insertion order) for an object, {@link List} for an array,
 * {@link String}, {@link Long} or {@link BigInteger} for an integer, {@link Double} for a fraction,
 * {@link Boolean}, and {@code null}. Internal: not API.
 */
public final class Json {

  /** Nesting deeper than this is refused (JSON bombs); OCI documents need fewer than 10 levels. */
  public static final int MAX_NESTING = 64;

  // A digest-verified document must mean one thing to every reader: no duplicate keys. Document
  // text stays out of exception messages.
  private static final JsonFactory STRICT = factory(true);
  // For files other tools write (Docker's config.json): Go's reader keeps the last duplicate.
  private static final JsonFactory LENIENT = factory(false);

  private Json() {}

  private static JsonFactory factory(boolean strict) {
    JsonFactoryBuilder b = new JsonFactoryBuilder();
    b.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    b.disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION);
    if (strict) {
      b.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
    return b.build();
  }

  /**
   * Reads one JSON document: no duplicate keys, no trailing content, nesting bounded.
   *
   * @param json the document's bytes
   * @return its value; null for {@code null} and for empty input
   * @throws IOException (a Jackson {@code JsonProcessingException}) when it is not one JSON value
   */
  public static Object parse(byte[] json) throws IOException {
    return parse(STRICT, json);
  }

  /**
   * Reads one JSON document as {@link #parse} does, except that a duplicate key keeps its last
   * value (as Go's {@code encoding/json} does): for files written by other tools.
   *
   * @param json the document's bytes
   * @return its value; null for {@code null} and for empty input
   * @throws IOException when it is not one JSON value
   */
  public static Object parseLenient(byte[] json) throws IOException {
    return parse(LENIENT, json);
  }

  private static Object parse(JsonFactory factory, byte[] json) throws IOException {
    try (JsonParser p = factory.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      Object value = value(p, first);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "trailing content after the document");
      }
      return value;
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          map.put(name, value(p, p.nextToken()));
        }
        return map;
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          list.add(value(p, e));
        }
        return list;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonParseException(p, "unexpected " + t);
    }
  }

  /**
   * Writes {@code value} (maps in their iteration order, lists, strings, numbers, booleans, null)
   * as compact UTF-8 JSON.
   *
   * @param value the value
   * @return the JSON bytes
   */
  public static byte[] write(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = STRICT.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a memory buffer does not fail
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List) {
      g.writeStartArray();
      for (Object e : (List<?>) v) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigInteger) {
      g.writeNumber((BigInteger) v);
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof BigDecimal) {
      g.writeNumber((BigDecimal) v);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  /**
   * A scalar's text, as a loose reader takes it: a string itself, a number or boolean as written,
   * anything else (null, an object, an array) as "".
   *
   * @param v a value from {@link #parse}
   * @return its text
   */
  public static String scalarText(Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean ? v.toString() : "";
  }

  /**
   * A short name of a value's JSON kind, for messages: "an object", "a string", ...
   *
   * @param v a value from {@link #parse}
   * @return its kind with an article
   */
  public static String kind(Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof Map) {
      return "an object";
    } else if (v instanceof List) {
      return "an array";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof Double) {
      return "a fraction";
    }
    return "a number";
  }
}
