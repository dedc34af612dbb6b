package dev.hoist.content.local.internal;

import dev.hoist.content.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ranges an ingest holds beyond its contiguous prefix: disjoint, merged when they touch. Not
 * thread-safe; the owning writer calls it under its lock.
 */
final class KeptRanges {

  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  boolean isEmpty() {
    return ranges.isEmpty();
  }

  void clear() {
    ranges.clear();
  }

  /** Adds {@code [start, end)}, merging what it overlaps or touches. */
  void add(long start, long end) {
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(start);
    }
    ranges.put(start, end);
  }

  /**
   * Removes and returns the first range when it starts at or before {@code prefix} (the prefix has
   * reached it), else null.
   */
  ByteRange pollReached(long prefix) {
    Map.Entry<Long, Long> first = ranges.firstEntry();
    if (first == null || first.getKey() > prefix) {
      return null;
    }
    ranges.remove(first.getKey());
    return new ByteRange(first.getKey(), first.getValue());
  }

  /** The prefix {@code [0, prefix)} (when not empty) followed by the kept ranges. */
  List<ByteRange> withPrefix(long prefix) {
    List<ByteRange> out = new ArrayList<>(ranges.size() + 1);
    if (prefix > 0) {
      out.add(new ByteRange(0, prefix));
    }
    ranges.forEach((start, end) -> out.add(new ByteRange(start, end)));
    return out;
  }
}
