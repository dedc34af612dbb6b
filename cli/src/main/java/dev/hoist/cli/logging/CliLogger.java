package dev.hoist.cli.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One logger for every name: warnings and errors become {@code hoist: warning: MESSAGE} and {@code
 * hoist: error: MESSAGE}, one line each on stderr, without thread, logger or level decoration; an
 * attached exception adds its message, never its stack trace.
 */
final class CliLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  static final CliLogger INSTANCE = new CliLogger();

  private CliLogger() {
    this.name = "hoist";
  }

  @Override
  public boolean isTraceEnabled() {
    return false;
  }

  @Override
  public boolean isDebugEnabled() {
    return false;
  }

  @Override
  public boolean isInfoEnabled() {
    return false;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable t) {
    if (level != Level.WARN && level != Level.ERROR) {
      return;
    }
    String message = MessageFormatter.basicArrayFormat(pattern, args);
    if (t != null) {
      message += ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }
    // One line, whatever the message holds.
    message = message.replace('\n', ' ').replace('\r', ' ');
    System.err.println("hoist: " + (level == Level.WARN ? "warning: " : "error: ") + message);
  }
}
