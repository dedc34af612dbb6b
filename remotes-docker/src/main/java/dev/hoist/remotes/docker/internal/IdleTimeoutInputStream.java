package dev.hoist.remotes.docker.internal;

import dev.hoist.errors.UnavailableException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A body stream on which one read may block at most {@code timeout}: a stalled connection (a
 * proxy or CDN that stops sending without closing) fails with {@link UnavailableException}
 * instead of hanging the fetch forever. A shared watchdog thread interrupts the blocked reader
 * and closes the underlying stream; the interrupt is cleared again before the exception is thrown.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

  private static final ScheduledThreadPoolExecutor WATCHDOG = newWatchdog();

  private final Duration timeout;
  private final String what;
  private final Object lock = new Object();
  private Thread reader;
  private boolean timedOut;
  private ScheduledFuture<?> alarm;

  IdleTimeoutInputStream(InputStream in, Duration timeout, String what) {
    super(in);
    this.timeout = timeout;
    this.what = what;
  }

  private static ScheduledThreadPoolExecutor newWatchdog() {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("hoist-read-watchdog");
              t.setDaemon(true);
              return t;
            });
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  @Override
  public int read() throws IOException {
    begin();
    try {
      return in.read();
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
      return in.read(b, off, len);
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

  private void begin() {
    synchronized (lock) {
      if (timedOut) {
        throw stalled();
      }
      reader = Thread.currentThread();
      alarm = WATCHDOG.schedule(this::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void end() {
    synchronized (lock) {
      if (alarm != null) {
        alarm.cancel(false);
        alarm = null;
      }
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

  private void fire() {
    synchronized (lock) {
      if (reader == null) {
        return;
      }
      timedOut = true;
      reader.interrupt();
    }
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // The stream is being abandoned; the reader gets the stall error.
    }
  }

  private UnavailableException stalled() {
    return new UnavailableException(what + ": no data received for " + timeout.toMillis() + " ms, the body stalled");
  }
}
