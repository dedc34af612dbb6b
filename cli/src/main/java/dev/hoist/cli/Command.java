package dev.hoist.cli;

import java.io.PrintWriter;
import java.util.List;

/** One {@code hoist} command: what it is called, what it accepts, and what it does. */
abstract class Command {

  /** The words that select it: {@code fetch}, {@code content verify}. */
  final String name;

  /** One line for the command list. */
  final String summary;

  /** Its positional argument as the usage line shows it ({@code REF}), or null. */
  final String operand;

  /** What the operand is, for the usage text, or null. */
  final String operandHelp;

  /** The options it accepts beyond {@code --debug} and {@code --help}. */
  final List<Args.Option> options;

  Command(String name, String summary, List<Args.Option> options) {
    this(name, summary, null, null, options);
  }

  Command(
      String name, String summary, String operand, String operandHelp, List<Args.Option> options) {
    this.name = name;
    this.summary = summary;
    this.operand = operand;
    this.operandHelp = operandHelp;
    this.options = List.copyOf(options);
  }

  /** Runs it; returns the exit status. */
  abstract int run(Args args, PrintWriter out, PrintWriter err) throws Exception;
}
