package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.UnavailableException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A body stream on which one read may block at most {@code timeout}: a stalled connection (a proxy
 * or CDN that stops sending without closing) fails with {@link UnavailableException} instead of
 * hanging the fetch forever.
 *
 * <p>A read only stamps its start time; a watchdog checks each open stream a few times per timeout
 * period (the resolver's timer thread) and, when a read has blocked too long, interrupts the reader
 * and closes the underlying stream. (Scheduling a timer per read cost a third of the throughput.)
 * The interrupt is cleared again before the exception is thrown. The check holds the stream weakly
 * and stops at close, end of body, or when the stream is dropped unclosed.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

  private final ScheduledExecutorService watchdog;
  private final Duration timeout;
  private final long timeoutNanos;
  private final String what;
  private final Object lock = new Object();
  private volatile long readStarted; // System.nanoTime() of the read in progress, 0 when idle
  private Thread reader;
  private boolean timedOut;
  private ScheduledFuture<?> check;

  /**
   * @param watchdog runs the checks: the resolver's timer thread ({@link ResolverThreads#timer()})
   */
  IdleTimeoutInputStream(
      InputStream in, Duration timeout, String what, ScheduledExecutorService watchdog) {
    super(in);
    this.watchdog = watchdog;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    begin();
    try {
      int b = in.read();
      if (b < 0) {
        stopChecking();
      }
      return b;
    } catch (IOException e) {
      throw failed(e);
    } finally {
      end();
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    begin();
    try {
      int n = in.read(b, off, len);
      if (n < 0) {
        stopChecking();
      }
      return n;
    } catch (IOException e) {
      throw failed(e);
    } finally {
      end();
    }
  }

  @Override
  public long skip(long n) throws IOException {
    begin();
    try {
      return in.skip(n);
    } catch (IOException e) {
      throw failed(e);
    } finally {
      end();
    }
  }

  @Override
  public void close() throws IOException {
    stopChecking();
    super.close();
  }

  private void begin() {
    synchronized (lock) {
      if (timedOut) {
        throw stalled();
      }
      reader = Thread.currentThread();
      if (check == null) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), timeoutNanos / 4);
        check = watchdog.scheduleAtFixedRate(new Check(this), period, period, TimeUnit.NANOSECONDS);
      }
    }
    readStarted = System.nanoTime() | 1; // never 0 while reading
  }

  private void end() {
    readStarted = 0;
    synchronized (lock) {
      reader = null;
      if (timedOut) {
        Thread.interrupted(); // our own interrupt, not the caller's cancellation
        throw stalled();
      }
    }
  }

  private IOException failed(IOException e) {
    synchronized (lock) {
      if (timedOut) {
        Thread.interrupted();
        throw stalled();
      }
    }
    return e;
  }

  private void stopChecking() {
    synchronized (lock) {
      if (check != null) {
        check.cancel(false);
      }
      check = null;
    }
  }

  /** Runs on the watchdog: fires when the read in progress has blocked longer than the timeout. */
  private void checkStall() {
    long started = readStarted;
    if (started == 0 || System.nanoTime() - started < timeoutNanos) {
      return;
    }
    synchronized (lock) {
      if (reader == null || readStarted != started) {
        return; // the read finished meanwhile
      }
      timedOut = true;
      reader.interrupt();
      if (check != null) {
        check.cancel(false);
        check = null;
      }
    }
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // The stream is being abandoned; the reader gets the stall error.
    }
  }

  private UnavailableException stalled() {
    return new UnavailableException(
        what + ": no data received for " + timeout.toMillis() + " ms, the body stalled");
  }

  /** Holds the stream weakly, so that a body dropped without close is still collected. */
  private static final class Check implements Runnable {
    private final WeakReference<IdleTimeoutInputStream> ref;

    Check(IdleTimeoutInputStream s) {
      this.ref = new WeakReference<>(s);
    }

    @Override
    public void run() {
      IdleTimeoutInputStream s = ref.get();
      if (s == null) {
        throw new IllegalStateException("stream collected"); // ends the periodic task
      }
      s.checkStall();
    }
  }
}
