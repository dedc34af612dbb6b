package dev.hoist.remotes.docker.auth;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} (where slf4j-simple logs; the surefire
 * configuration turns on debug for the auth package) while still passing it through.
 */
final class StderrCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  StderrCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public synchronized void write(int b) {
            captured.write(b);
            original.write(b);
          }

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            captured.write(b, off, len);
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
