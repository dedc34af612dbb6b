package dev.hoist.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A bare HTTP server on loopback for the replies the testkit registry will not send (chunked
 * manifests of any size, oversized headers). One handler answers every request.
 */
final class RawServer implements AutoCloseable {

  /** Answers one exchange; exceptions end the exchange. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "raw-server");
            t.setDaemon(true);
            return t;
          });

  RawServer(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            handler.handle(ex);
          } catch (IOException e) {
            // The client hung up: expected when it refuses what it is sent.
          }
        });
    server.setExecutor(pool);
    server.start();
  }

  /** {@code 127.0.0.1:<port>}. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
