package dev.hoist.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} command-line options of the bench mains. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument \"" + a + "\"");
      }
      String key = a.substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(key, args[++i]);
      } else {
        values.put(key, "true");
      }
    }
  }

  String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  int getInt(String key, int fallback) {
    String v = values.get(key);
    return v == null ? fallback : Integer.parseInt(v);
  }

  long getSize(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    String s = v.toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    if (s.endsWith("m")) {
      unit = 1 << 20;
      s = s.substring(0, s.length() - 1);
    } else if (s.endsWith("k")) {
      unit = 1 << 10;
      s = s.substring(0, s.length() - 1);
    }
    return Long.parseLong(s) * unit;
  }

  boolean flag(String key) {
    return Boolean.parseBoolean(values.getOrDefault(key, "false"));
  }
}
