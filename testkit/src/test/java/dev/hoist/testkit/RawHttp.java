package dev.hoist.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw socket HTTP/1.1 exchange, for tests that must observe bytes as they arrive. */
final class RawHttp implements AutoCloseable {

  final Socket socket;
  final InputStream in;
  final String head;

  RawHttp(TestRegistry registry, String path) throws IOException {
    this(registry, path, "");
  }

  /** {@code extraHeaders}: complete header lines, each ending in CRLF. */
  RawHttp(TestRegistry registry, String path, String extraHeaders) throws IOException {
    socket = new Socket("127.0.0.1", registry.port());
    socket.setSoTimeout(10_000);
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + registry.host()
            + "\r\nConnection: close\r\n"
            + extraHeaders
            + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    in = socket.getInputStream();
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the response head");
      }
      h.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
    head = h.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
