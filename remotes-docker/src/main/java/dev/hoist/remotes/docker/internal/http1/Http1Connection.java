package dev.hoist.remotes.docker.internal.http1;

import dev.hoist.errors.UnauthorizedException;
import dev.hoist.errors.internal.ServerText;
import dev.hoist.remotes.docker.config.ProxySettings;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 connection: a blocking {@link SocketChannel} (so that an interrupt closes it and
 * ends a blocked read), wrapped in TLS for {@code https}. It writes a request head, parses a
 * response head from a small read-ahead buffer, and then hands body bytes straight from the socket
 * into the caller's array: one copy from the kernel, no per-read allocation.
 */
final class Http1Connection implements AutoCloseable {

  /** The most a response head (status line and headers) may take. */
  static final int MAX_HEAD_BYTES = 64 << 10;

  private static final int MAX_HEADER_LINES = 256;

  /** Interim (1xx) replies skipped before a final one; more is an error. */
  static final int MAX_INTERIM_REPLIES = 5;

  final ConnectionKey key;
  private final SocketChannel channel;
  private final Socket socket;
  private final InputStream in;

  /** The TCP stream under TLS (the same as {@link #in} for plain HTTP): what has arrived unread. */
  private final InputStream wire;

  private final OutputStream out;
  private final byte[] ahead = new byte[16 << 10];
  private int pos;
  private int lim;
  private volatile boolean closed;

  /** While a head is read: {@code System.nanoTime()} by which it must be complete. */
  private long headDeadline;

  /** While a head is read: bytes the heads of this reply may still take. */
  private int headBytesLeft;

  /** {@code System.nanoTime()} when the connection went back to the pool. */
  long idleSince;

  private Http1Connection(ConnectionKey key, SocketChannel channel, Socket socket)
      throws IOException {
    this.key = key;
    this.channel = channel;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.wire = channel.socket().getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to {@code key}, trying each address of the host in turn (unlike {@code java.net.http},
   * which tries only the first, so {@code localhost} works whether the server listens on {@code
   * ::1} or {@code 127.0.0.1}), then completes the TLS handshake for {@code https}.
   */
  static Http1Connection open(
      ConnectionKey key, Duration connectTimeout, SSLContext tls, SSLParameters params)
      throws IOException {
    IOException failure = null;
    URI proxy = key.proxy();
    String connectHost = proxy != null ? proxy.getHost() : key.host();
    int connectPort = proxy != null ? (proxy.getPort() != -1 ? proxy.getPort() : 80) : key.port();
    if (connectHost.startsWith("[") && connectHost.endsWith("]")) {
      connectHost = connectHost.substring(1, connectHost.length() - 1);
    }
    for (InetAddress address : InetAddress.getAllByName(connectHost)) {
      SocketChannel ch = SocketChannel.open();
      try {
        Socket plain = ch.socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(address, connectPort), timeoutMillis(connectTimeout));
        Socket s = plain;
        if (proxy != null && key.tls()) {
          tunnel(key, ch, plain, connectTimeout);
        }
        if (key.tls()) {
          SSLSocket ssl =
              (SSLSocket) tls.getSocketFactory().createSocket(plain, key.host(), key.port(), true);
          SSLParameters p = params;
          // As java.net.http: the server's name is verified against its certificate (a trust
          // manager configured to skip verification skips this too), and no ALPN is offered, so
          // the server answers HTTP/1.1.
          p.setEndpointIdentificationAlgorithm("HTTPS");
          p.setApplicationProtocols(new String[0]);
          ssl.setSSLParameters(p);
          ssl.setSoTimeout(timeoutMillis(connectTimeout));
          try {
            ssl.startHandshake();
          } catch (SSLException | SocketTimeoutException e) {
            // A plain-HTTP server answers the ClientHello with "400 Bad Request" (Go's) or waits
            // for the end of a request line that never comes (others): ask it in plain HTTP.
            if (proxy == null
                && !Thread.currentThread().isInterrupted()
                && !PlainHttpProbe.isCertificateFailure(e)
                && PlainHttpProbe.speaksPlainHttp(
                    address, key.host(), key.port(), connectTimeout)) {
              throw new PlainHttpReplyException(key.host() + ":" + key.port(), e);
            }
            throw e;
          }
          s = ssl;
        }
        return new Http1Connection(key, ch, s);
      } catch (RuntimeException e) {
        closeQuietly(ch);
        throw e; // the proxy refused the credentials
      } catch (SocketTimeoutException e) {
        closeQuietly(ch);
        failure =
            new HttpTimeoutException(
                "connect to " + key + " timed out after " + connectTimeout.toMillis() + " ms");
      } catch (IOException e) {
        closeQuietly(ch);
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted("connect to " + key);
        }
        failure = e;
      }
    }
    throw failure != null ? failure : new IOException("no address for " + key.host());
  }

  /**
   * Asks the proxy for a tunnel to {@code key} ({@code CONNECT host:port}, RFC 9110 §9.3.6), with
   * the proxy's credentials when its URL carries them.
   *
   * @throws UnauthorizedException when the proxy answers 407
   */
  private static void tunnel(ConnectionKey key, SocketChannel ch, Socket plain, Duration timeout)
      throws IOException {
    Http1Connection c = new Http1Connection(key, ch, plain);
    String authority =
        (key.host().indexOf(':') >= 0 ? "[" + key.host() + "]" : key.host()) + ":" + key.port();
    c.writeRequest("CONNECT", authority, authority, proxyHeaders(key.proxy()), null);
    ResponseHead head = c.readHead(timeout);
    // 407 as RFC 9110 says; tinyproxy 1.11 answers 401. Either comes from the proxy here.
    if (head.status() == 407 || head.status() == 401) {
      throw new UnauthorizedException(
          "proxy "
              + ProxySettings.redact(key.proxy())
              + " refused "
              + (key.proxy().getRawUserInfo() == null
                  ? "to tunnel without credentials"
                  : "the credentials")
              + " (status "
              + head.status()
              + " to CONNECT "
              + authority
              + ")");
    }
    if (head.status() < 200 || head.status() > 299) {
      throw new IOException(
          "proxy "
              + ProxySettings.redact(key.proxy())
              + " answered CONNECT "
              + authority
              + " with status "
              + head.status());
    }
    if (c.hasBufferedBytes()) {
      throw new IOException(
          "proxy " + ProxySettings.redact(key.proxy()) + " sent bytes after its CONNECT reply");
    }
  }

  /** {@code Proxy-Authorization: Basic} from the proxy URL's user info, or nothing. */
  static List<Map.Entry<String, String>> proxyHeaders(URI proxy) {
    String userInfo = proxy.getUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return List.of();
    }
    String basic = Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    return List.of(Map.entry("Proxy-Authorization", "Basic " + basic));
  }

  private static int timeoutMillis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /**
   * Writes one request head, and {@code body} (null for none). Header values were checked by the
   * caller.
   */
  void writeRequest(
      String method,
      String target,
      String hostHeader,
      List<Map.Entry<String, String>> headers,
      byte[] body)
      throws IOException {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(hostHeader).append("\r\n");
    for (Map.Entry<String, String> h : headers) {
      sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    if (body != null) {
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    }
    sb.append("\r\n");
    try {
      out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() && !(e instanceof InterruptedIOException)) {
        throw interrupted("write to " + key);
      }
      throw e;
    }
  }

  /**
   * Reads a response head, skipping interim {@code 1xx} replies.
   *
   * <p>{@code timeout} bounds the whole head, interim replies included: a server that trickles one
   * header byte at a time, or sends {@code 103 Early Hints} forever, fails when it is spent rather
   * than resetting a per-read timeout. The byte limit also covers all heads together, and at most
   * {@value #MAX_INTERIM_REPLIES} interim replies are skipped (Go's transport allows 5).
   *
   * @param timeout how long the head may take to arrive, from now
   * @throws EOFException when the server closed the connection before a single byte of the head (a
   *     pooled connection the server had already dropped: safe to retry on a new one)
   */
  ResponseHead readHead(Duration timeout) throws IOException {
    headDeadline = System.nanoTime() + timeout.toNanos();
    headBytesLeft = MAX_HEAD_BYTES;
    try {
      for (int interim = 0; ; interim++) {
        ResponseHead head = readOneHead();
        if (head.status() >= 200 || head.status() == 101) {
          return head;
        }
        if (interim >= MAX_INTERIM_REPLIES) {
          throw new IOException(
              "more than " + MAX_INTERIM_REPLIES + " interim (1xx) replies from " + key);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new HttpTimeoutException(
          "no complete reply head from " + key + " within " + timeout.toMillis() + " ms");
    } finally {
      headDeadline = 0;
      // An interrupt closes the channel under a blocked read: resetting its timeout then would
      // replace the InterruptedIOException with "Socket is closed".
      if (isOpen()) {
        socket.setSoTimeout(0); // body reads are guarded by the idle-read watchdog
      }
    }
  }

  private ResponseHead readOneHead() throws IOException {
    String status = readLine(true);
    if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
      throw new IOException(
          "malformed status line from " + key + ": \"" + printable(status) + "\"");
    }
    int code;
    try {
      code = Integer.parseInt(status.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException(
          "malformed status line from " + key + ": \"" + printable(status) + "\"");
    }
    if (code < 100 || code > 999) {
      throw new IOException("malformed status code from " + key + ": " + code);
    }
    boolean http10 = status.charAt(7) == '0';
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int lines = 0; ; lines++) {
      String line = readLine(false);
      if (line.isEmpty()) {
        break;
      }
      if (lines >= MAX_HEADER_LINES) {
        throw new IOException(
            "response head from " + key + " has more than " + MAX_HEADER_LINES + " header lines");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new IOException(
            "malformed header line from " + key + ": \"" + printable(line) + "\"");
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
    return new ResponseHead(code, http10, headers);
  }

  /**
   * One CRLF- (or LF-) terminated line of a reply head, without the terminator. A NUL or a CR
   * anywhere but before the LF is refused (RFC 9110 §5.5, RFC 9112 §2.2): such a line would be
   * split differently by another parser on the way.
   */
  private String readLine(boolean first) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      if (pos == lim && !fillHead()) {
        if (first && sb.length() == 0) {
          throw new EOFException("connection to " + key + " closed before a reply");
        }
        throw new EOFException("connection to " + key + " closed in the middle of the reply head");
      }
      byte b = ahead[pos++];
      if (--headBytesLeft < 0) {
        throw new IOException(
            "response head from " + key + " is larger than " + MAX_HEAD_BYTES + " bytes");
      }
      if (b == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        if (sb.indexOf("\r") >= 0) {
          throw new IOException(
              "bare CR in the reply head from " + key + ": \"" + printable(sb.toString()) + "\"");
        }
        return sb.toString();
      }
      if (b == 0) {
        throw new IOException("NUL byte in the reply head from " + key);
      }
      sb.append((char) (b & 0xff));
    }
  }

  /** {@link #fill()} for the head: each read may block only for what is left of the deadline. */
  private boolean fillHead() throws IOException {
    long left = headDeadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("reply head deadline passed");
    }
    socket.setSoTimeout(
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1)));
    return fill();
  }

  private boolean fill() throws IOException {
    int n = socketRead(ahead, 0, ahead.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  /** Reads body bytes: what the head parser read ahead first, then straight from the socket. */
  int read(byte[] b, int off, int len) throws IOException {
    if (pos < lim) {
      int n = Math.min(len, lim - pos);
      System.arraycopy(ahead, pos, b, off, n);
      pos += n;
      return n;
    }
    return socketRead(b, off, len);
  }

  /** One byte of the body (chunk framing), or -1 at the end of the stream. */
  int read() throws IOException {
    if (pos == lim && !fill()) {
      return -1;
    }
    return ahead[pos++] & 0xff;
  }

  private int socketRead(byte[] b, int off, int len) throws IOException {
    try {
      return in.read(b, off, len);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() && !(e instanceof InterruptedIOException)) {
        throw interrupted("read from " + key);
      }
      throw e;
    }
  }

  private static InterruptedIOException interrupted(String what) {
    return new InterruptedIOException(what + " interrupted");
  }

  /** Bytes that can be read without blocking. */
  long available() throws IOException {
    return (long) (lim - pos) + in.available();
  }

  boolean isOpen() {
    return !closed && channel.isOpen();
  }

  /**
   * Whether anything arrived that no request asked for: bytes read ahead, or bytes waiting on the
   * socket (under TLS, undecrypted records: unsolicited data or the server's close_notify). Such a
   * connection must not carry another request, whose reply would be read from those bytes; Go's
   * transport and curl drop it too ("unsolicited response on idle HTTP channel", "excess found").
   */
  boolean hasUnsolicitedBytes() {
    if (pos < lim) {
      return true;
    }
    try {
      return wire.available() > 0 || in.available() > 0;
    } catch (IOException e) {
      return true; // a connection that cannot even say is not one to reuse
    }
  }

  /** Bytes already read ahead of the current position (none once a body was fully read). */
  boolean hasBufferedBytes() {
    return pos < lim;
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException | RuntimeException e) {
      // Closing a dead connection: nothing to report.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to report
    }
  }

  /** Server bytes fit for a message: through {@link ServerText}, the one place that cleans them. */
  private static String printable(String s) {
    return ServerText.clean(s, 100);
  }

  @Override
  public String toString() {
    return "Http1Connection[" + key + (closed ? ", closed" : "") + "]";
  }

  /** The lower-cased value of {@code name}'s headers joined by commas, or "". */
  static String tokens(Map<String, List<String>> headers, String name) {
    List<String> vs = headers.get(name);
    return vs == null ? "" : String.join(",", vs).toLowerCase(Locale.ROOT);
  }
}
