package dev.hoist.remotes.docker.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP proxy for tests: Debian's {@code tinyproxy}, started in the foreground on a free
 * loopback port with its own configuration and log, optionally with {@code BasicAuth}. Its log
 * ({@code LogLevel Connect}) lists every request it forwarded and every tunnel it opened.
 */
public final class TinyProxy implements AutoCloseable {

  /** Where Debian installs it ({@code apt-get install tinyproxy}). */
  public static final Path BINARY = Path.of("/usr/bin/tinyproxy");

  private final Process process;
  private final int port;
  private final Path log;

  private TinyProxy(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a proxy.
   *
   * @param dir where its configuration and log go
   * @param user with {@code secret}, the credentials it requires; null for none
   */
  public static TinyProxy start(Path dir, String user, String secret)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: apt-get install tinyproxy");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("tinyproxy.log");
    Path conf = dir.resolve("tinyproxy.conf");
    Files.writeString(
        conf,
        "Port "
            + port
            + "\n"
            + "Listen 127.0.0.1\n"
            + "Timeout 60\n"
            + "LogFile \""
            + log
            + "\"\n"
            + "LogLevel Connect\n"
            + "MaxClients 64\n"
            + "Allow 127.0.0.1\n"
            + "DisableViaHeader Yes\n"
            + (user != null ? "BasicAuth " + user + " " + secret + "\n" : ""),
        StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(List.of(BINARY.toString(), "-d", "-c", conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tinyproxy.out").toFile())
            .start();
    TinyProxy proxy = new TinyProxy(p, port, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return proxy;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          proxy.close();
          throw new IOException(
              "tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.out")), e);
        }
        p.waitFor(
            20, TimeUnit.MILLISECONDS); // the process starting up: nothing to wait on but its port
      }
    }
  }

  /** {@code http://127.0.0.1:<port>}, with {@code user:secret@} when given. */
  public URI url(String user, String secret) {
    return URI.create(
        "http://" + (user != null ? user + ":" + secret + "@" : "") + "127.0.0.1:" + port);
  }

  /** The proxy's log so far. */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Log lines of requests it received ({@code GET http://…}, {@code CONNECT host:port}). */
  public List<String> requests() throws IOException {
    return log().lines().filter(l -> l.contains("]: Request (file descriptor")).toList();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
