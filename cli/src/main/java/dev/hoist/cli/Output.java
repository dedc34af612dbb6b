package dev.hoist.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hoist.digest.Digest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The options and helpers of listing commands: {@code --format table|json}, {@code -q}, {@code
 * --no-trunc}; aligned tables; one JSON document per run (the schemas are in the README and stay
 * stable: fields are only ever added).
 */
final class Output {

  static final Args.Option FORMAT =
      Args.Option.value("--format", "FORMAT", "table (default) or json (one JSON document).");
  static final Args.Option QUIET =
      Args.Option.flag("-q", "Print only names (digests for content).");
  static final Args.Option QUIET_LONG = Args.Option.flag("--quiet", "Same as -q.");
  static final Args.Option NO_TRUNC = Args.Option.flag("--no-trunc", "Print full digests.");

  /** Made on first use: creating a mapper costs a command that prints no JSON ~20 ms. */
  private static final class Mapper {
    static final ObjectMapper JSON =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  private Output() {}

  /** True for {@code --format json}; a usage error for anything but table or json. */
  static boolean json(Args args) throws Args.UsageException {
    String f = args.value(FORMAT.name(), "table");
    switch (f) {
      case "table":
        return false;
      case "json":
        return true;
      default:
        throw new Args.UsageException("--format must be table or json, got '" + f + "'");
    }
  }

  static boolean quiet(Args args) {
    return args.has(QUIET.name()) || args.has(QUIET_LONG.name());
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static void print(PrintWriter out, ObjectNode doc) {
    try {
      out.println(Mapper.JSON.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code sha256:} and 12 hex digits, or the whole digest with {@code --no-trunc}. */
  static String digest(Digest d, boolean full) {
    String s = d.toString();
    int cut = d.algorithm().length() + 1 + 12;
    return full || s.length() <= cut ? s : s.substring(0, cut);
  }

  /** {@code k=v,k2=v2} sorted by key, or {@code -}. */
  static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "-";
    }
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
  }

  static ObjectNode labelsNode(Map<String, String> labels) {
    ObjectNode n = object();
    new TreeMap<>(labels).forEach(n::put);
    return n;
  }

  /** Rows printed with every column but the last padded to its widest cell. */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    void add(String... cells) {
      rows.add(cells);
    }

    void print(PrintWriter out) {
      int cols = rows.get(0).length;
      int[] width = new int[cols];
      for (String[] r : rows) {
        for (int i = 0; i < cols - 1; i++) {
          width[i] = Math.max(width[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cols; i++) {
          if (i < cols - 1) {
            b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 3));
          } else {
            b.append(r[i]);
          }
        }
        out.println(b.toString().stripTrailing());
      }
    }
  }
}
