package dev.hoist.cli;

import dev.hoist.errors.HoistException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code hoist} command line: {@code ctr content fetch} for the JVM.
 *
 * <p>Exit status 0 on success; on failure 1 and one line {@code hoist: <message>} on stderr (a
 * stack trace too with {@code --debug}); 2 for a usage error. Warnings are one line each, {@code
 * hoist: warning: <message>}.
 */
public final class HoistCli {

  private static final List<Command> COMMANDS = commands();

  private static final Args.Option DEBUG =
      Args.Option.flag("--debug", "Print stack traces on failure.");
  private static final Args.Option HELP = Args.Option.flag("--help", "Show this help and exit.");
  private static final Args.Option HELP_SHORT = Args.Option.flag("-h", "Show this help and exit.");

  private HoistCli() {}

  private static List<Command> commands() {
    List<Command> all =
        new ArrayList<>(
            List.of(
                new FetchCommand(),
                new PullCommand(),
                new RootfsCommand(),
                new ImagesCommand.Ls(),
                new ImagesCommand.Check(),
                new ImagesCommand.Rm(),
                new ContentCommand.Ls(),
                new ContentCommand.Verify(),
                new ContentCommand.Rm(),
                new SnapshotsCommand.Ls(),
                new SnapshotsCommand.Rm(),
                new GcCommand(),
                new DemoCommand()));
    // Last: it completes every command above.
    all.add(new CompletionCommand(List.copyOf(all)));
    return List.copyOf(all);
  }

  public static void main(String[] args) {
    // java.net.http reads its socket buffer size once, when its classes load: 256 KiB instead of
    // 16 KiB is the largest single throughput lever (bench/RESULTS.md). A -D on the command line
    // wins.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", "262144");
    }
    Logging.configure(Arrays.asList(args));
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit status (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      return dispatch(Arrays.asList(args), out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int dispatch(List<String> args, PrintWriter out, PrintWriter err) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      out.print(usage());
      return 0;
    }
    String first = args.get(0);
    if (first.equals("--version") || first.equals("-V")) {
      String v = HoistCli.class.getPackage().getImplementationVersion();
      out.println("hoist " + (v == null ? "dev" : v));
      return 0;
    }
    if (first.equals("help")) {
      return help(args.subList(1, args.size()), out, err);
    }
    Command command = find(args);
    if (command == null) {
      return group(args, out, err);
    }
    int words = command.name.split(" ").length;
    List<Args.Option> options = new ArrayList<>(command.options);
    options.addAll(List.of(DEBUG, HELP, HELP_SHORT));
    Args parsed;
    try {
      parsed = Args.parse(args.subList(words, args.size()), options);
    } catch (Args.UsageException e) {
      return usageError(command.name, e.getMessage(), err);
    }
    if (parsed.has(HELP.name()) || parsed.has(HELP_SHORT.name())) {
      out.print(usage(command));
      return 0;
    }
    try {
      return command.run(parsed, out, err);
    } catch (Args.UsageException e) {
      return usageError(command.name, e.getMessage(), err);
    } catch (Exception | LinkageError e) {
      err.println("hoist: " + message(e));
      if (parsed.has(DEBUG.name())) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** The command whose words start {@code args}, or null. */
  private static Command find(List<String> args) {
    for (Command c : COMMANDS) {
      List<String> words = Arrays.asList(c.name.split(" "));
      if (args.size() >= words.size() && args.subList(0, words.size()).equals(words)) {
        return c;
      }
    }
    return null;
  }

  /**
   * {@code hoist images} or {@code hoist content} alone lists its commands; anything else is
   * unknown.
   */
  private static int group(List<String> args, PrintWriter out, PrintWriter err) {
    String first = args.get(0);
    List<Command> members = new ArrayList<>();
    for (Command c : COMMANDS) {
      if (c.name.startsWith(first + " ")) {
        members.add(c);
      }
    }
    if (members.isEmpty()) {
      return usageError(null, "unknown command '" + first + "'", err);
    }
    if (args.size() > 1 && !args.get(1).startsWith("-")) {
      return usageError(first, "unknown command '" + first + " " + args.get(1) + "'", err);
    }
    if (args.size() > 1 && !args.get(1).equals("--help") && !args.get(1).equals("-h")) {
      return usageError(first, "unknown option '" + args.get(1) + "'", err);
    }
    StringBuilder sb =
        new StringBuilder("Usage: hoist " + first + " COMMAND [OPTIONS]\n\nCommands:\n");
    members.forEach(c -> sb.append(row(c.name, c.summary)));
    out.print(sb);
    return 0;
  }

  private static int help(List<String> topic, PrintWriter out, PrintWriter err) {
    if (topic.isEmpty()) {
      out.print(usage());
      return 0;
    }
    Command command = find(topic);
    if (command != null && command.name.split(" ").length == topic.size()) {
      out.print(usage(command));
      return 0;
    }
    return group(topic, out, err);
  }

  private static int usageError(String command, String message, PrintWriter err) {
    err.println("hoist: " + message);
    err.println("Run 'hoist " + (command == null ? "" : command + " ") + "--help' for usage.");
    return 2;
  }

  static String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: hoist [-hV] COMMAND [OPTIONS]\n");
    sb.append(
        "Fetch container images from OCI / Docker v2 registries into a local content store.\n\n");
    sb.append("Commands:\n");
    for (Command c : COMMANDS) {
      sb.append(row(c.name, c.summary));
    }
    sb.append(row("help [COMMAND]", "Show the usage of a command."));
    sb.append("\nOptions:\n");
    sb.append(row("-h, --help", "Show this help and exit."));
    sb.append(row("-V, --version", "Print the version and exit."));
    sb.append("\nRun 'hoist COMMAND --help' for a command's options.\n");
    return sb.toString();
  }

  static String usage(Command c) {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: hoist ").append(c.name).append(" [OPTIONS]");
    if (c.operand != null) {
      sb.append(' ').append(c.operand);
    }
    sb.append('\n').append(c.summary).append("\n\n");
    if (c.operand != null) {
      sb.append(row(c.operand, c.operandHelp)).append('\n');
    }
    sb.append("Options:\n");
    for (Args.Option o : c.options) {
      sb.append(row(o.synopsis(), o.description()));
    }
    sb.append(row(DEBUG.synopsis(), DEBUG.description()));
    sb.append(row("-h, --help", HELP.description()));
    return sb.toString();
  }

  private static String row(String left, String right) {
    String pad = left.length() < 30 ? " ".repeat(30 - left.length()) : "\n" + " ".repeat(32);
    return "  " + left + pad + right + "\n";
  }

  static String message(Throwable ex) {
    if (ex instanceof HoistException || ex.getMessage() != null) {
      String m = ex.getMessage();
      return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }
    return ex.getClass().getSimpleName();
  }
}
