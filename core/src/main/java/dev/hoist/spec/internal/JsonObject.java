package dev.hoist.spec.internal;

import dev.hoist.errors.InvalidArgumentException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object from {@link Json#parse} with typed, checked access to its fields. An absent field
 * and {@code null} read the same; a field of the wrong kind is an {@link InvalidArgumentException}
 * naming its path in the document, e.g. {@code layers[0].size: expected an integer, got a string}.
 * Internal: not API.
 *
 * @param map the object's fields, in document order
 * @param path where the object is in its document ("" for the root)
 */
public record JsonObject(Map<String, Object> map, String path) {

  /**
   * The object {@code value}, or null when it is null.
   *
   * @param value a value from {@link Json#parse}
   * @param path where it is, for messages
   * @return the object, or null
   * @throws InvalidArgumentException when it is not an object
   */
  @SuppressWarnings("unchecked")
  public static JsonObject of(Object value, String path) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map)) {
      throw wrongKind(path, "an object", value);
    }
    return new JsonObject((Map<String, Object>) value, path);
  }

  /**
   * Whether the field is present (even as {@code null}).
   *
   * @param name the field
   * @return whether it is present
   */
  public boolean has(String name) {
    return map.containsKey(name);
  }

  /**
   * The raw value of a field.
   *
   * @param name the field
   * @return its value, or null
   */
  public Object get(String name) {
    return map.get(name);
  }

  /**
   * A string field.
   *
   * @param name the field
   * @return its value, or null when absent or null
   * @throws InvalidArgumentException when it is not a string
   */
  public String string(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongKind(at(name), "a string", v);
  }

  /**
   * A string field, or null when it is absent or not a string (for fields only looked at).
   *
   * @param name the field
   * @return its value, or null
   */
  public String stringOrNull(String name) {
    Object v = map.get(name);
    return v instanceof String ? (String) v : null;
  }

  /**
   * An integer field that fits a {@code long}; absent or null reads as 0, as Go's reader leaves a
   * missing number.
   *
   * @param name the field
   * @return its value
   * @throws InvalidArgumentException when it is not an integer or does not fit
   */
  public long longValue(String name) {
    Object v = map.get(name);
    if (v == null) {
      return 0;
    }
    if (v instanceof Long) {
      return (Long) v;
    }
    if (v instanceof BigInteger) {
      throw new InvalidArgumentException(at(name) + ": " + v + " is out of range");
    }
    throw wrongKind(at(name), "an integer", v);
  }

  /**
   * An integer field that fits an {@code int}; absent or null reads as 0.
   *
   * @param name the field
   * @return its value
   * @throws InvalidArgumentException when it is not an integer or does not fit
   */
  public int intValue(String name) {
    long v = longValue(name);
    if (v != (int) v) {
      throw new InvalidArgumentException(at(name) + ": " + v + " is out of range");
    }
    return (int) v;
  }

  /**
   * An object field.
   *
   * @param name the field
   * @return the object, or null when absent or null
   * @throws InvalidArgumentException when it is not an object
   */
  public JsonObject object(String name) {
    return of(map.get(name), at(name));
  }

  /**
   * An array field.
   *
   * @param name the field
   * @return its elements, or null when absent or null
   * @throws InvalidArgumentException when it is not an array
   */
  @SuppressWarnings("unchecked")
  public List<Object> array(String name) {
    Object v = map.get(name);
    if (v == null || v instanceof List) {
      return (List<Object>) v;
    }
    throw wrongKind(at(name), "an array", v);
  }

  /**
   * An array-of-strings field; null elements stay null (the records refuse them by name).
   *
   * @param name the field
   * @return its elements, or null when absent or null
   * @throws InvalidArgumentException when it is not an array or an element is not a string
   */
  public List<String> strings(String name) {
    List<Object> a = array(name);
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object e = a.get(i);
      if (e != null && !(e instanceof String)) {
        throw wrongKind(at(name) + "[" + i + "]", "a string", e);
      }
      out.add((String) e);
    }
    return out;
  }

  /**
   * An object-of-strings field (annotations, labels); null values stay null (the records refuse
   * them by key).
   *
   * @param name the field
   * @return its entries in document order, or null when absent or null
   * @throws InvalidArgumentException when it is not an object or a value is not a string
   */
  public Map<String, String> stringMap(String name) {
    JsonObject o = object(name);
    if (o == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o.map.entrySet()) {
      Object v = e.getValue();
      if (v != null && !(v instanceof String)) {
        throw wrongKind(o.at(e.getKey()), "a string", v);
      }
      out.put(e.getKey(), (String) v);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The path of field {@code name} of this object.
   *
   * @param name the field
   * @return e.g. {@code config.size}
   */
  public String at(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static InvalidArgumentException wrongKind(String path, String expected, Object got) {
    return new InvalidArgumentException(
        (path.isEmpty() ? "document" : path)
            + ": expected "
            + expected
            + ", got "
            + Json.kind(got));
  }
}
