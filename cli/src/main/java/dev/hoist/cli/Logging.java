package dev.hoist.cli;

import java.util.List;

/**
 * Sets up the CLI's logging backend (slf4j-simple) before the first logger exists: without
 * {@code --debug}, warnings only, each one line {@code hoist: warning: …} on stderr with no thread
 * or logger name; with {@code --debug}, everything from debug up in slf4j-simple's full format.
 * A {@code -Dorg.slf4j.simpleLogger.*} given on the java command line wins.
 */
final class Logging {

  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  /** Configures logging for a run with {@code args}. */
  static void configure(List<String> args) {
    boolean debug = args.contains("--debug");
    set("logFile", "System.err");
    if (debug) {
      set("defaultLogLevel", "debug");
      set("showDateTime", "true");
      set("dateTimeFormat", "HH:mm:ss.SSS");
      return;
    }
    set("defaultLogLevel", "warn");
    set("showThreadName", "false");
    set("showLogName", "false");
    set("showShortLogName", "false");
    set("levelInBrackets", "false");
    set("warnLevelString", "hoist: warning:");
  }

  private static void set(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
