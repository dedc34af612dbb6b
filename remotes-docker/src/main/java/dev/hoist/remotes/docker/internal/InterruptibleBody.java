package dev.hoist.remotes.docker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as a blocking {@link InputStream}, like {@code BodyHandlers.ofInputStream()}, but
 * whose reads end on interrupt. The JDK's own stream ignores interrupts up to JDK 21 (it catches
 * the {@code InterruptedException} and waits again, clearing the flag), so a cancelled fetch would
 * stay blocked on a silent connection. Here an interrupted read cancels the body and throws {@link
 * InterruptedIOException} with the interrupt flag restored, and {@link InputStream#close()} wakes a
 * blocked reader.
 *
 * <p>At most one list of buffers is requested ahead of the reader, so memory stays bounded by what
 * the HTTP client hands over at once.
 */
final class InterruptibleBody implements HttpResponse.BodySubscriber<InputStream> {

  /** The handler to pass to {@code HttpClient.send}. */
  static final HttpResponse.BodyHandler<InputStream> HANDLER = info -> new InterruptibleBody();

  private static final List<ByteBuffer> END = List.of();

  private final BlockingQueue<List<ByteBuffer>> queue = new LinkedBlockingQueue<>();
  private final Stream stream = new Stream();
  private volatile Flow.Subscription subscription;
  private volatile Throwable failure;

  @Override
  public CompletionStage<InputStream> getBody() {
    // Completed at once, so that send() returns as soon as the headers are in.
    return CompletableFuture.completedFuture(stream);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    if (subscription != null || stream.closed) {
      s.cancel();
      return;
    }
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.offer(item);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    queue.offer(END);
  }

  @Override
  public void onComplete() {
    queue.offer(END);
  }

  private final class Stream extends InputStream {
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean eof;
    private volatile boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      ByteBuffer buf = next();
      if (buf == null) {
        return -1;
      }
      int n = Math.min(len, buf.remaining());
      buf.get(b, off, n);
      // Coalesce: hand over everything already received, up to len, without blocking. The client
      // delivers socket-buffer-sized pieces (16 KiB by default); returning one per read() would
      // make every layer above (idle timeout, resume, hashing) pay per 16 KiB.
      while (n < len && (buf = ready()) != null) {
        int m = Math.min(len - n, buf.remaining());
        buf.get(b, off + n, m);
        n += m;
      }
      return n;
    }

    /** The next buffer with bytes if one is at hand without waiting, else null. */
    private ByteBuffer ready() {
      while (true) {
        if (current != null && current.hasRemaining()) {
          return current;
        }
        if (buffers.hasNext()) {
          current = buffers.next();
          continue;
        }
        if (closed || eof) {
          return null;
        }
        List<ByteBuffer> item = queue.peek();
        if (item == null || item == END) {
          return null;
        }
        queue.poll();
        buffers = item.iterator();
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
    }

    @Override
    public int available() {
      return current == null ? 0 : current.remaining();
    }

    /** The buffer to read from, or null at the end of the body. */
    private ByteBuffer next() throws IOException {
      while (current == null || !current.hasRemaining()) {
        if (closed) {
          throw new IOException("body closed");
        }
        if (eof) {
          return null;
        }
        if (buffers.hasNext()) {
          current = buffers.next();
          continue;
        }
        List<ByteBuffer> item;
        try {
          item = queue.take();
        } catch (InterruptedException e) {
          close();
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the response body");
        }
        if (closed) {
          throw new IOException("body closed");
        }
        if (item == END) {
          eof = true;
          Throwable t = failure;
          if (t != null) {
            throw t instanceof IOException ? (IOException) t : new IOException(t.getMessage(), t);
          }
          return null;
        }
        buffers = item.iterator();
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
      }
      return current;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      queue.clear();
      queue.offer(END); // wakes a reader blocked in take()
    }
  }
}
