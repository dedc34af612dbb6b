package dev.hoist.remotes.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A raw HTTP/1.1 server on loopback for replies WireMock cannot shape: a body cut after some bytes,
 * headers followed by silence. One request per connection; each connection is answered by the next
 * {@link Responder} in the script (the last one repeats).
 */
final class ScriptedHttpServer implements AutoCloseable {

  /** A request as received. */
  record Request(String line, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Writes the raw reply to one request. */
  @FunctionalInterface
  interface Responder {
    void respond(Request request, OutputStream out, CountDownLatch closing)
        throws IOException, InterruptedException;
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();

  /** Released on close: responders that hold a connection open wait on it. */
  final CountDownLatch closing = new CountDownLatch(1);

  private final ServerSocket server;
  private final List<Responder> script;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  ScriptedHttpServer(Responder... script) throws IOException {
    this.script = List.of(script);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "scripted-http");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Headers of a reply; {@code extra} lines like {@code "Content-Range: bytes 1-2/3"}. */
  static byte[] head(int status, long contentLength, String... extra) {
    StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
    b.append("Content-Length: ").append(contentLength).append("\r\n");
    b.append("Connection: close\r\n");
    for (String e : extra) {
      b.append(e).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private void acceptLoop() {
    int n = 0;
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(s);
      Responder r = script.get(Math.min(n++, script.size() - 1));
      Thread t = new Thread(() -> serve(s, r), "scripted-http-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s, Responder r) {
    try (s) {
      Request req = readRequest(s.getInputStream());
      requests.add(req);
      OutputStream out = s.getOutputStream();
      r.respond(req, out, closing);
      out.flush();
    } catch (IOException e) {
      // The client went away: fine for a fault-injecting server.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("eof in request");
      }
      buf.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    String[] lines = buf.toString(StandardCharsets.US_ASCII).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Request(lines[0], headers);
  }

  @Override
  public void close() throws IOException {
    closing.countDown();
    server.close();
    for (Socket s : new ArrayList<>(sockets)) {
      s.close();
    }
  }
}
