package dev.hoist.remotes.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * {@link Transport} over the host's {@code java.net.http} client: HTTP/2, and clients a user
 * configured (customizer, own client). {@code HttpRequest.timeout} bounds the head; the body is an
 * {@link InterruptibleBody} (the JDK's own stream ignores interrupts up to JDK 21) behind an {@link
 * IdleTimeoutInputStream}.
 */
public final class JdkTransport implements Transport {

  private final Supplier<ScheduledExecutorService> timer;

  /**
   * @param timer the owner's timer thread for idle-read checks
   */
  public JdkTransport(Supplier<ScheduledExecutorService> timer) {
    this.timer = timer;
  }

  @Override
  public Response send(Request r) throws IOException {
    String what = r.method() + " " + RegistryErrors.redact(r.uri());
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(r.uri())
            .version(r.version())
            // Bounds the wait for the reply's headers; the body is guarded by the idle timeout.
            .timeout(r.timeout())
            .method(r.method(), HttpRequest.BodyPublishers.noBody());
    r.headers().forEach(h -> rb.header(h.getKey(), h.getValue()));
    HttpResponse<InputStream> response;
    try {
      response = r.client().jdk().send(rb.build(), InterruptibleBody.HANDLER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + " interrupted");
    }
    InputStream body = new IdleTimeoutInputStream(response.body(), r.timeout(), what, timer.get());
    return new Response(response.statusCode(), response.headers(), body);
  }
}
