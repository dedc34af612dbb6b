package dev.hoist.cli;

import java.util.List;

/**
 * Sets up logging before the first logger exists. Without {@code --debug}: the CLI's own backend
 * ({@link dev.hoist.cli.logging.CliLoggerProvider}), warnings only, each one line {@code hoist:
 * warning: …} on stderr. With {@code --debug}: slf4j-simple, everything from debug up with time,
 * thread and logger name. A {@code -Dslf4j.provider} or {@code -Dorg.slf4j.simpleLogger.*} given on
 * the java command line wins.
 */
final class Logging {

  private Logging() {}

  /** Configures logging for a run with {@code args}. */
  static void configure(List<String> args) {
    // slf4j's own notes ("Attempting to load provider …") are not for users.
    set("slf4j.internal.verbosity", "WARN");
    if (!args.contains("--debug")) {
      set("slf4j.provider", "dev.hoist.cli.logging.CliLoggerProvider");
      return;
    }
    set("org.slf4j.simpleLogger.logFile", "System.err");
    set("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    set("org.slf4j.simpleLogger.showDateTime", "true");
    set("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
  }

  private static void set(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
