package dev.hoist.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT or SIGTERM during a fetch: a shutdown hook interrupts the fetching thread, which cancels
 * the fetch; every writer is then closed, so what arrived is written to its ingest (closing a
 * writer keeps it). The hook waits for that, bounded, then prints one line {@value #MESSAGE} on
 * stderr. {@code kill -9} runs no hook; the bytes already written are kept then too.
 */
final class Interruption {

  static final String MESSAGE = "hoist: interrupted; run the same command again to resume";

  /** What the fetch returns when it ends because of the signal (the JVM's own status wins). */
  static final int EXIT_STATUS = 130;

  /** How long the hook lets writers close before the JVM exits anyway. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final CountDownLatch ended = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private Interruption(Thread fetching, PrintWriter err) {
    this.hook =
        new Thread(
            () -> {
              requested = true;
              fetching.interrupt();
              try {
                ended.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              err.println(MESSAGE);
              err.flush();
            },
            "hoist-interrupt");
  }

  /** Installs the hook for the calling thread's fetch. */
  static Interruption install(PrintWriter err) {
    Interruption i = new Interruption(Thread.currentThread(), err);
    Runtime.getRuntime().addShutdownHook(i.hook);
    return i;
  }

  /** Whether a signal asked the fetch to stop. */
  boolean requested() {
    return requested;
  }

  /** The fetch returned or failed: the hook no longer waits, and is removed when not running. */
  void fetchEnded() {
    ended.countDown();
    if (!requested) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the hook runs and prints the line
      }
    }
  }
}
