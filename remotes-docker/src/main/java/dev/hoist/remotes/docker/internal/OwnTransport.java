package dev.hoist.remotes.docker.internal;

import dev.hoist.remotes.docker.internal.http1.Http1Transport;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * {@link Transport} over Hoist's own pooled HTTP/1.1 connections ({@link Http1Transport}): the head
 * deadline is the connection's, the body idle timeout an {@link IdleTimeoutInputStream} checked on
 * the owner's timer thread.
 */
public final class OwnTransport implements Transport, AutoCloseable {

  private final Http1Transport http1;
  private final Supplier<ScheduledExecutorService> timer;

  /**
   * @param timer the owner's timer thread: pool sweeps and idle-read checks
   */
  public OwnTransport(Supplier<ScheduledExecutorService> timer) {
    this.http1 = new Http1Transport(timer);
    this.timer = timer;
  }

  @Override
  public Response send(Request r) throws IOException {
    Http1Transport.Exchange x =
        http1.exchange(r.client(), r.method(), r.uri(), r.headers(), r.timeout());
    String what = r.method() + " " + RegistryErrors.redact(r.uri());
    return new Response(
        x.status(),
        x.headers(),
        new IdleTimeoutInputStream(x.body(), r.timeout(), what, timer.get()));
  }

  /** Idle pooled connections (for tests). */
  int idleConnections() {
    return http1.idleConnections();
  }

  /** Closes the idle connections; connections in use close when their bodies end. */
  @Override
  public void close() {
    http1.close();
  }
}
