package dev.hoist.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;

/**
 * How a command prints its result: text for people ({@code TEXT}, the default) or JSON for scripts,
 * plus the {@code -q}/{@code --quiet} flag. Shared by every command that offers {@code --format}.
 *
 * <p>JSON output is produced with Jackson; each value is one line ({@link #printJson}), so a stream
 * of objects is JSON Lines and a list is one array on one line.
 */
enum OutputFormat {
  TEXT,
  JSON;

  static final Args.Option FORMAT =
      Args.Option.value("--format", "FORMAT", "text or json (default: text).");
  static final Args.Option QUIET = Args.Option.flag("--quiet", "Print only the essential result.");
  static final Args.Option QUIET_SHORT = Args.Option.flag("-q", "Same as --quiet.");

  /** The options, for a command's option list. */
  static final List<Args.Option> OPTIONS = List.of(FORMAT, QUIET, QUIET_SHORT);

  /**
   * Made on first use: loading Jackson costs every command that prints no JSON (even --version)
   * time.
   */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = new ObjectMapper();
  }

  /** The format {@code --format} asks for; a usage error (exit 2) for anything but text or json. */
  static OutputFormat of(Args args) throws Args.UsageException {
    String f = args.value(FORMAT.name(), "text");
    switch (f) {
      case "text":
        return TEXT;
      case "json":
        if (quiet(args)) {
          throw new Args.UsageException("-q/--quiet and --format json exclude each other");
        }
        return JSON;
      default:
        throw new Args.UsageException("--format must be text or json, got '" + f + "'");
    }
  }

  /** Whether {@code -q} or {@code --quiet} was given. */
  static boolean quiet(Args args) {
    return args.has(QUIET.name()) || args.has(QUIET_SHORT.name());
  }

  /** Prints {@code value} (a map, list or record) as one line of JSON. */
  static void printJson(PrintWriter out, Object value) {
    try {
      out.println(Mapper.INSTANCE.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }
}
