package dev.hoist.examples.cli;

import java.io.PrintWriter;
import java.util.List;

/** One {@code hoist} command: what it is called, what it accepts, and what it does. */
interface Command {

  /** The words that select it: {@code fetch}, {@code content verify}. */
  String name();

  /** One line for the command list. */
  String summary();

  /** Its positional arguments as the usage line shows them ({@code REF}), or empty. */
  default String operands() {
    return "";
  }

  /** Lines describing the positional arguments, each {@code {label, description}}. */
  default List<String[]> operandHelp() {
    return List.of();
  }

  /** The options it accepts beyond {@code --debug} and {@code --help}. */
  List<Args.Option> options();

  /** Runs it; returns the exit status. */
  int run(Args args, PrintWriter out, PrintWriter err) throws Exception;
}
