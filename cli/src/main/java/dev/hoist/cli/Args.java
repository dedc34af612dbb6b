package dev.hoist.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's arguments: {@code --name}, {@code --name VALUE} or {@code --name=VALUE} options
 * anywhere on the line, positional arguments, and {@code --} ending the options.
 *
 * <p>Hand-written rather than picocli: picocli's Java 5 class files are the one part of a {@code
 * hoist} run that class-data sharing cannot archive, and building its model by reflection cost a
 * fresh JVM about 0.2 s of every command (bench/RESULTS.md).
 */
final class Args {

  /** An option a command accepts: a flag, or one that takes a value (once, or repeatedly). */
  record Option(String name, String valueLabel, boolean repeatable, String description) {

    static Option flag(String name, String description) {
      return new Option(name, null, false, description);
    }

    static Option value(String name, String label, String description) {
      return new Option(name, label, false, description);
    }

    static Option values(String name, String label, String description) {
      return new Option(name, label, true, description);
    }

    boolean takesValue() {
      return valueLabel != null;
    }

    /** How the option is written in a usage text: {@code --store DIR}. */
    String synopsis() {
      return takesValue() ? name + " " + valueLabel : name;
    }
  }

  /** A command line that does not fit the command: exit status 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, List<String>> options;
  private final List<String> positionals;

  private Args(Map<String, List<String>> options, List<String> positionals) {
    this.options = options;
    this.positionals = positionals;
  }

  /** Parses {@code args} against {@code accepted}. */
  static Args parse(List<String> args, List<Option> accepted) throws UsageException {
    Map<String, Option> byName = new LinkedHashMap<>();
    accepted.forEach(o -> byName.put(o.name(), o));
    Map<String, List<String>> options = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (arg.length() < 2 || arg.charAt(0) != '-') {
        positionals.add(arg);
        continue;
      }
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq < 0 ? arg : arg.substring(0, eq);
      Option option = byName.get(name);
      if (option == null) {
        throw new UsageException("unknown option '" + name + "'");
      }
      String value;
      if (!option.takesValue()) {
        if (eq >= 0) {
          throw new UsageException("option '" + name + "' takes no value");
        }
        value = "";
      } else if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException(
            "option '" + name + "' needs a value (" + option.valueLabel() + ")");
      }
      List<String> values = options.computeIfAbsent(name, k -> new ArrayList<>());
      if (!values.isEmpty() && !option.repeatable()) {
        throw new UsageException("option '" + name + "' given more than once");
      }
      values.add(value);
    }
    return new Args(options, positionals);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  /** The option's value, or {@code fallback} when it was not given. */
  String value(String name, String fallback) {
    List<String> v = options.get(name);
    return v == null ? fallback : v.get(0);
  }

  /** Every value of a repeatable option, in order. */
  List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  /** The option's value as a whole number, or {@code fallback} when it was not given. */
  long number(String name, long fallback) throws UsageException {
    String v = value(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("option '" + name + "' needs a whole number, got '" + v + "'");
    }
  }

  /** The one positional argument called {@code label}. */
  String single(String label) throws UsageException {
    if (positionals.isEmpty()) {
      throw new UsageException("missing " + label);
    }
    if (positionals.size() > 1) {
      throw new UsageException("unexpected argument '" + positionals.get(1) + "'");
    }
    return positionals.get(0);
  }

  /** Exactly {@code n} positional arguments, described by {@code label} in errors. */
  List<String> positionals(int n, String label) throws UsageException {
    if (positionals.size() < n) {
      throw new UsageException("missing " + label);
    }
    if (positionals.size() > n) {
      throw new UsageException("unexpected argument '" + positionals.get(n) + "'");
    }
    return List.copyOf(positionals);
  }

  /** Every positional argument, in order. */
  List<String> positionals() {
    return List.copyOf(positionals);
  }

  /** Fails unless there are no positional arguments. */
  void none() throws UsageException {
    if (!positionals.isEmpty()) {
      throw new UsageException("unexpected argument '" + positionals.get(0) + "'");
    }
  }
}
