package dev.hoist.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.hoist.testkit.Fault;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a {@link Reply}, applying the header lies and body faults of the call. Bodies are always
 * fixed-length and copied in 1 MiB pieces. A body sent short of its declared length leaves the
 * exchange incomplete; closing it then closes the connection, which is how a dropped connection
 * looks to the client.
 */
final class ReplyWriter {

  private static final int BUFFER = 1 << 20;

  private final FaultEngine engine;

  ReplyWriter(FaultEngine engine) {
    this.engine = engine;
  }

  /** Writes the reply; returns the body bytes sent. */
  long write(Call call, Reply reply, Progress progress) throws IOException {
    HttpExchange ex = call.exchange;
    Headers h = ex.getResponseHeaders();
    reply.headers.forEach(h::set);
    long actual = reply.body == null ? 0 : reply.length;
    long declared = actual;
    long dropAt = -1;
    long stallAt = -1;
    java.time.Duration stallFor = null;
    long bandwidth = 0;
    List<Long> corrupt = new ArrayList<>(1);
    for (Fault f : call.faults) {
      switch (f.kind()) {
        case CONTENT_LENGTH:
          declared = f.bytes();
          break;
        case DIGEST_HEADER:
          h.set("Docker-Content-Digest", f.digest().toString());
          break;
        case DROP_AFTER:
          dropAt = dropAt < 0 ? f.bytes() : Math.min(dropAt, f.bytes());
          break;
        case STALL:
          if (stallFor == null) {
            stallAt = f.bytes();
            stallFor = f.duration();
          }
          break;
        case CORRUPT_BYTE:
          corrupt.add(f.bytes());
          break;
        case BANDWIDTH:
          bandwidth = bandwidth == 0 ? f.bytes() : Math.min(bandwidth, f.bytes());
          break;
        default:
          break;
      }
    }
    progress.status = reply.status;
    if (call.isHead()) {
      h.set("Content-Length", Long.toString(declared));
      progress.complete();
      ex.sendResponseHeaders(
          reply.status, -1); // HEAD: the server sends no body and no length of its own
      return 0;
    }
    if (declared == 0) {
      progress.complete();
      ex.sendResponseHeaders(
          reply.status, -1); // -1 means "no body", and the server sends Content-Length: 0
      return 0;
    }
    long limit = Math.min(declared, actual);
    if (dropAt >= 0) {
      limit = Math.min(limit, dropAt);
    }
    progress.completesAt = limit == declared ? limit : -1;
    if (reply.status >= 300 && limit == declared && stallFor == null) {
      // A client acts on an error or redirect status as soon as the headers arrive, without
      // waiting for the body: the entry must be in the log before its next request can be.
      progress.bytesSent = limit;
      progress.complete();
    }
    ex.sendResponseHeaders(reply.status, declared);
    OutputStream out = ex.getResponseBody();
    try (InputStream in = reply.body.open(reply.offset)) {
      copy(in, out, limit, stallAt, stallFor, bandwidth, corrupt, progress);
    }
    out.flush();
    if (progress.bytesSent < declared) {
      throw new DroppedConnection();
    }
    return progress.bytesSent;
  }

  private void copy(
      InputStream in,
      OutputStream out,
      long limit,
      long stallAt,
      java.time.Duration stallFor,
      long bandwidth,
      List<Long> corrupt,
      Progress progress)
      throws IOException {
    byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(limit, 1))];
    int step = bandwidth > 0 ? (int) Math.max(1, Math.min(buf.length, bandwidth / 20)) : buf.length;
    long start = System.nanoTime();
    boolean stalled = false;
    long pos = 0;
    while (pos < limit || (!stalled && stallAt == pos && stallAt <= limit && stallFor != null)) {
      if (!stalled && stallFor != null && pos == stallAt) {
        out.flush(); // the client must have every byte before the pause
        stalled = true;
        try {
          engine.stall(stallFor);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("stall interrupted");
        }
        start = System.nanoTime() - (long) (pos * 1e9 / Math.max(bandwidth, 1));
        continue;
      }
      long boundary = limit;
      if (!stalled && stallFor != null && stallAt > pos) {
        boundary = Math.min(boundary, stallAt);
      }
      int n = (int) Math.min(step, boundary - pos);
      int got = in.readNBytes(buf, 0, n);
      if (got < n) {
        throw new EOFException("blob ended at " + (pos + got) + " of " + limit + " bytes");
      }
      for (long c : corrupt) {
        if (c >= pos && c < pos + n) {
          buf[(int) (c - pos)] ^= (byte) 0xff;
        }
      }
      if (bandwidth > 0) {
        // Wait before writing, so that the last byte leaves no earlier than size / rate.
        long due = start + (long) ((pos + n) * 1e9 / bandwidth);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait); // pacing, not synchronisation: the point is to be slow
        }
      }
      if (pos + n == progress.completesAt) {
        progress.bytesSent = pos + n;
        progress
            .complete(); // before the last bytes leave: the client cannot finish before the log has
        // it
      }
      out.write(buf, 0, n);
      pos += n;
      progress.bytesSent = pos;
      if (bandwidth > 0) {
        out.flush();
      }
    }
  }

  /** What has been sent so far, for the request log even when sending fails. */
  static final class Progress {
    int status;
    long bytesSent;
    long completesAt = -1;
    private final Runnable onComplete;
    private boolean completed;

    Progress(Runnable onComplete) {
      this.onComplete = onComplete;
    }

    /** Runs the completion hook (the request log) once. */
    void complete() {
      if (!completed) {
        completed = true;
        onComplete.run();
      }
    }
  }

  /** The body was cut short on purpose (or by a lie): the connection must close. */
  static final class DroppedConnection extends IOException {
    private static final long serialVersionUID = 1L;

    DroppedConnection() {
      super("connection dropped by fault injection");
    }
  }
}
