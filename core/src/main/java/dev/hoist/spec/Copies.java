package dev.hoist.spec;

import dev.hoist.errors.InvalidArgumentException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Defensive copies for the spec records: null-free, immutable, maps sorted by key. */
final class Copies {

  private Copies() {}

  /** An immutable copy; null becomes empty; a null element is refused naming {@code what}. */
  static <T> List<T> list(List<T> list, String what) {
    if (list == null) {
      return List.of();
    }
    for (T element : list) { // not contains(null): immutable lists throw on a null query
      if (element == null) {
        throw new InvalidArgumentException(what + ": null element");
      }
    }
    return List.copyOf(list);
  }

  /**
   * An immutable copy sorted by key, so iteration and JSON output are deterministic (Go writes map
   * keys sorted too); null becomes empty; null keys or values are refused naming {@code what}.
   */
  static Map<String, String> sortedMap(Map<String, String> map, String what) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    SortedMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null) {
        throw new InvalidArgumentException(what + ": null key");
      }
      if (e.getValue() == null) {
        throw new InvalidArgumentException(what + ": null value for \"" + e.getKey() + "\"");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableSortedMap(copy);
  }
}
