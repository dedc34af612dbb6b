package dev.hoist.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.hoist.testkit.Fault;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One request being served: the exchange, its parsed query and the faults that apply to it. */
public final class Call {

  final HttpExchange exchange;
  final String method;
  final String path;
  final String rawQuery;
  final List<Fault> faults;
  private final Map<String, List<String>> params;

  Call(HttpExchange exchange, List<Fault> faults) {
    this.exchange = exchange;
    this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    this.path = exchange.getRequestURI().getRawPath();
    this.rawQuery = exchange.getRequestURI().getRawQuery();
    this.faults = faults;
    this.params = parseForm(rawQuery);
  }

  /** Parses {@code a=1&b=2} with percent- and plus-decoding. */
  static Map<String, List<String>> parseForm(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // malformed escapes: keep the raw text, validation downstream names it
    }
  }

  /** The first value of query parameter {@code name}, or null. */
  String param(String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  List<String> params(String name) {
    return params.getOrDefault(name, List.of());
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  InputStream body() {
    return exchange.getRequestBody();
  }

  boolean isHead() {
    return method.equals("HEAD");
  }

  boolean has(Fault.Kind kind) {
    for (Fault f : faults) {
      if (f.kind() == kind) {
        return true;
      }
    }
    return false;
  }
}
