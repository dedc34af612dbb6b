package dev.hoist.remotes.docker.internal.http1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that answers every request on a connection, in order, with raw bytes
 * from a {@link Script}, so that framing, keep-alive and broken replies can be shaped exactly.
 * Records each request line with the number of the connection it came on.
 */
public final class RawServer implements AutoCloseable {

  /** What to do with one request. */
  public interface Script {
    /**
     * Writes the reply to request number {@code n} (from 0, across connections); returns false to
     * close the connection afterwards.
     */
    boolean reply(int n, String requestHead, OutputStream out, CountDownLatch closing)
        throws IOException, InterruptedException;
  }

  /** A request as received. */
  public record Seen(int connection, String head) {
    public String line() {
      return head.substring(0, head.indexOf("\r\n"));
    }
  }

  public final List<Seen> seen = new CopyOnWriteArrayList<>();
  public final CountDownLatch closing = new CountDownLatch(1);
  private final ServerSocket server;
  private final Script script;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public RawServer(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "raw-server");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(s);
      int c = connections.getAndIncrement();
      Thread t = new Thread(() -> serve(c, s), "raw-server-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(int connection, Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        seen.add(new Seen(connection, head));
        boolean keep = script.reply(requests.getAndIncrement(), head, out, closing);
        out.flush();
        if (!keep) {
          return;
        }
      }
    } catch (IOException e) {
      // the client hung up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    closing.countDown();
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
