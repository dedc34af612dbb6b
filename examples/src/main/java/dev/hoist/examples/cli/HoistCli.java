package dev.hoist.examples.cli;

import dev.hoist.errors.HoistException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hoist} command line: {@code ctr content fetch} for the JVM.
 *
 * <p>Exit status 0 on success; on failure 1 and one line {@code hoist: <message>} on stderr (a
 * stack trace too with {@code --debug}); 2 for a usage error.
 */
@Command(
    name = "hoist",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Fetch container images from OCI / Docker v2 registries into a local content store.",
    subcommands = {
      FetchCommand.class,
      ImagesCommand.class,
      ContentCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class HoistCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit status (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new HoistCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          boolean debug = parsed.hasMatchedOption("--debug") || isDebug(parsed);
          err.println("hoist: " + message(ex));
          if (debug) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cl.execute(args);
  }

  private static boolean isDebug(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult p = parsed;
    while (p != null) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }

  static String message(Throwable ex) {
    if (ex instanceof HoistException || ex.getMessage() != null) {
      String m = ex.getMessage();
      return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }
    return ex.getClass().getSimpleName();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
