package dev.hoist.content;

import dev.hoist.digest.Digest;
import dev.hoist.errors.AlreadyExistsException;
import dev.hoist.errors.FailedPreconditionException;
import dev.hoist.errors.InvalidArgumentException;
import dev.hoist.errors.UnavailableException;
import dev.hoist.errors.UnknownException;
import dev.hoist.spec.Descriptor;
import dev.hoist.spec.OciJson;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helpers over the content interfaces, as containerd's {@code content/helpers.go}: open a writer
 * while its ref is busy, copy a blob into a writer with resume and verification, and read a small
 * blob whole.
 *
 * <pre>{@code
 * try (ContentWriter w = Blobs.openWriter(store, IngestRefs.of(desc), desc, Duration.ofMinutes(1))) {
 *   Blobs.copy(w, offset -> fetcher.fetch(desc, offset), desc.size(), desc.digest(), Map.of(), n -> {});
 * } catch (AlreadyExistsException e) {
 *   // committed already, by us earlier or by someone else
 * }
 * byte[] manifest = Blobs.readAll(store, manifestDesc, OciJson.DEFAULT_MAX_MANIFEST_BYTES);
 * }</pre>
 *
 * <p>These methods declare no checked exceptions. A {@link dev.hoist.errors.HoistException} passes
 * through; an {@link IOException} reading the source becomes {@link UnavailableException}, one
 * writing or reading the store becomes {@link UnknownException}. An interrupt re-asserts the
 * thread's interrupt flag and throws {@link CancellationException}. Thread-safe.
 */
public final class Blobs {

  private static final Logger log = LoggerFactory.getLogger(Blobs.class);

  /**
   * Copy buffer size, as containerd's 1 MiB pool; java.net.http streams fill it with readNBytes.
   */
  static final int BUFFER_SIZE = 1 << 20;

  /**
   * Bytes in hand that are written out as soon as the source has nothing more ready, rather than
   * waiting for a full buffer: a process killed while the network is slow then loses at most this
   * much per stream. 256 KiB keeps writes and hash updates large (REFERENCE §7).
   */
  static final int EAGER_WRITE_BYTES = 256 << 10;

  /** Buffers kept for reuse; beyond this many, idle buffers are left to the collector. */
  private static final int POOLED_BUFFERS = 8;

  private static final ConcurrentLinkedQueue<byte[]> POOL = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger POOL_SIZE = new AtomicInteger();

  private Blobs() {}

  /**
   * Opens a writer for {@code ref}, retrying with jittered exponential backoff while another writer
   * holds the ref ({@link UnavailableException}), as containerd's {@code OpenWriter}.
   *
   * @param ingester the store to write to
   * @param ref the ingest ref, e.g. from {@link IngestRefs#of}
   * @param desc the expected content, checked on commit
   * @param maxWait how long to keep retrying; {@link Duration#ZERO} tries once
   * @return the writer, holding {@code ref}; the caller closes it
   * @throws AlreadyExistsException when {@code desc}'s content is committed already (not retried)
   * @throws UnavailableException when the ref is still busy after {@code maxWait}
   * @throws CancellationException when the thread is interrupted while waiting
   */
  public static ContentWriter openWriter(
      Ingester ingester, String ref, Descriptor desc, Duration maxWait) {
    return openWriter(ingester, ref, desc, maxWait, WriterBackoff.SYSTEM);
  }

  static ContentWriter openWriter(
      Ingester ingester, String ref, Descriptor desc, Duration maxWait, WriterBackoff backoff) {
    Objects.requireNonNull(ingester, "ingester");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(desc, "desc");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
    }
    long start = backoff.nanoTime.getAsLong();
    long budget = saturatedNanos(maxWait);
    int bound = WriterBackoff.FIRST_BOUND_MILLIS;
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return ingester.writer(ref, desc);
      } catch (UnavailableException busy) {
        long remaining = budget - (backoff.nanoTime.getAsLong() - start);
        if (remaining <= 0) {
          throw new UnavailableException(
              "open writer "
                  + ref
                  + ": ref still locked after "
                  + attempts
                  + " attempts in "
                  + maxWait,
              busy);
        }
        long delay = Math.min(backoff.jitter.applyAsInt(bound), ceilMillis(remaining));
        log.debug("ref={} busy, retrying in {} ms (attempt {})", ref, delay, attempts);
        try {
          backoff.sleeper.sleep(delay);
        } catch (InterruptedException e) {
          throw cancelled("open writer " + ref, e);
        }
        bound = WriterBackoff.nextBound(bound);
      } catch (IOException e) {
        throw local("open writer " + ref, e);
      }
    }
  }

  /**
   * Copies a blob into {@code w} and commits it, resuming from what {@code w} holds already, as
   * containerd's {@code content.Copy}. Reads {@code w.status().offset()}: when it equals {@code
   * size} the writer is committed without opening the source; when it is larger the ingest is
   * truncated and restarted; otherwise the source is opened at the offset and exactly the missing
   * bytes are copied. The writer is not closed unless the commit closes it.
   *
   * @param w the writer to fill and commit
   * @param src opens the blob's bytes from an offset
   * @param size the blob's size; exactly this many bytes are read
   * @param expected nullable: the digest to verify on commit
   * @param labels nullable: labels for the committed blob
   * @param progress receives the count of bytes written, chunk by chunk
   * @throws FailedPreconditionException when the source ends early ("unexpected EOF") or the
   *     committed size differs
   * @throws dev.hoist.errors.DigestMismatchException when the bytes hash to another digest
   * @return true when this call committed the blob; false when another writer committed the same
   *     content first (the blob is there either way)
   * @throws UnavailableException when reading the source fails
   */
  public static boolean copy(
      ContentWriter w,
      BlobSource src,
      long size,
      Digest expected,
      Map<String, String> labels,
      LongConsumer progress) {
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(progress, "progress");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    String what = expected != null ? expected.toString() : "ingest";
    if (w.supportsWriteAt()) {
      PositionalCopy.fill(w, src, size, what, progress);
      return commit(w, size, expected, labels);
    }
    long offset;
    try {
      offset = w.status().offset();
      if (offset > size) {
        // More than the blob holds: the kept bytes cannot be right, start over.
        log.debug("digest={} offset={} beyond size={}, restarting", expected, offset, size);
        w.truncate(0);
        offset = 0;
      }
    } catch (IOException e) {
      throw local("copy " + what, e);
    }
    if (offset < size) {
      transfer(w, src, offset, size, what, progress);
    }
    return commit(w, size, expected, labels);
  }

  private static boolean commit(
      ContentWriter w, long size, Digest expected, Map<String, String> labels) {
    String what = expected != null ? expected.toString() : "ingest";
    try {
      w.commit(size, expected, labels == null ? Map.of() : labels);
      return true;
    } catch (AlreadyExistsException e) {
      // Someone committed the same content first: the blob is there, which is what we wanted.
      log.debug("digest={} committed meanwhile by another writer", expected);
      return false;
    } catch (IOException e) {
      throw local("commit " + what, e);
    }
  }

  /**
   * Copies a blob from a stream that starts at byte 0, skipping what {@code w} holds already, then
   * commits it; see {@link #copy(ContentWriter, BlobSource, long, Digest, Map, LongConsumer)}.
   * {@code fromStart} is not closed: the caller owns it.
   *
   * @param w the writer to fill and commit
   * @param fromStart the blob's bytes from byte 0
   * @param size the blob's size; exactly this many bytes are read
   * @param expected nullable: the digest to verify on commit
   */
  public static void copy(ContentWriter w, InputStream fromStart, long size, Digest expected) {
    Objects.requireNonNull(fromStart, "fromStart");
    copy(w, skipping(fromStart), size, expected, Map.of(), n -> {});
  }

  /**
   * A source over a stream that starts at byte 0: {@code open(offset)} skips {@code offset} bytes.
   * Closing the opened stream does not close {@code fromStart}.
   *
   * @param fromStart the blob's bytes from byte 0; opened once, by one copy
   * @return a source that skips to the offset asked for
   */
  public static BlobSource skipping(InputStream fromStart) {
    Objects.requireNonNull(fromStart, "fromStart");
    return offset -> {
      InputStream in =
          new FilterInputStream(fromStart) {
            @Override
            public void close() {
              // The caller owns fromStart.
            }
          };
      skip(in, offset);
      return in;
    };
  }

  /** Skips {@code n} bytes; a stream that ends first is a short read ("unexpected EOF"). */
  private static void skip(InputStream in, long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw new FailedPreconditionException(
          "unexpected EOF skipping to offset " + n + " of a stream that restarted from byte 0", e);
    }
  }

  /**
   * Reads a whole blob into memory: for manifests, indexes and configs, never layers.
   *
   * @param p the store to read from
   * @param desc the blob; a size of 0 means unknown, and the stored size is used
   * @param maxBytes the largest blob accepted; nothing past it is ever read
   * @return the blob's bytes
   * @throws InvalidArgumentException when the blob is larger than {@code maxBytes}
   * @throws FailedPreconditionException when the stored size differs from {@code desc.size()}
   * @throws dev.hoist.errors.NotFoundException when the blob is not in the store
   */
  public static byte[] readAll(ContentProvider p, Descriptor desc, long maxBytes) {
    Objects.requireNonNull(p, "p");
    Objects.requireNonNull(desc, "desc");
    if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxBytes outside 0.." + (Integer.MAX_VALUE - 8) + ": " + maxBytes);
    }
    if (desc.size() > maxBytes) {
      throw new InvalidArgumentException(tooLarge(desc.digest(), desc.size(), maxBytes));
    }
    try (SeekableByteChannel ch = p.open(desc)) {
      long stored = ch.size();
      // A descriptor of size 0 may be a caller's "unknown": trust the store, within the limit.
      long want = desc.size() > 0 ? desc.size() : stored;
      if (want > maxBytes) {
        throw new InvalidArgumentException(tooLarge(desc.digest(), want, maxBytes));
      }
      if (stored != want) {
        throw new FailedPreconditionException(
            "read "
                + desc.digest()
                + ": store holds "
                + stored
                + " bytes, descriptor says "
                + want);
      }
      ByteBuffer buf = ByteBuffer.allocate((int) want);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new FailedPreconditionException(
              "read "
                  + desc.digest()
                  + ": unexpected EOF: got "
                  + buf.position()
                  + " of "
                  + want
                  + " bytes");
        }
      }
      return buf.array();
    } catch (ClosedByInterruptException e) {
      throw cancelled("read " + desc.digest(), e);
    } catch (IOException e) {
      throw local("read " + desc.digest(), e);
    }
  }

  /**
   * Reads a whole blob by its digest alone: a manifest, an index or a config whose descriptor is
   * not at hand.
   *
   * @param store the store to read from
   * @param digest the blob's digest
   * @param maxBytes the largest blob accepted; nothing past it is ever read
   * @return the blob's bytes
   * @throws InvalidArgumentException when the blob is larger than {@code maxBytes}
   * @throws dev.hoist.errors.NotFoundException when the blob is not in the store
   */
  public static byte[] readAll(ContentStore store, Digest digest, long maxBytes) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(digest, "digest");
    ContentInfo info;
    try {
      info = store.info(digest);
    } catch (ClosedByInterruptException e) {
      throw cancelled("read " + digest, e);
    } catch (IOException e) {
      throw local("read " + digest, e);
    }
    return readAll(store, Descriptor.of("application/octet-stream", digest, info.size()), maxBytes);
  }

  /**
   * Reads a whole blob of at most {@link OciJson#DEFAULT_MAX_MANIFEST_BYTES}.
   *
   * @param p the store to read from
   * @param desc the blob
   * @return the blob's bytes
   * @see #readAll(ContentProvider, Descriptor, long)
   */
  public static byte[] readAll(ContentProvider p, Descriptor desc) {
    return readAll(p, desc, OciJson.DEFAULT_MAX_MANIFEST_BYTES);
  }

  private static void transfer(
      ContentWriter w, BlobSource src, long offset, long size, String what, LongConsumer progress) {
    transfer(w, src, offset, size, false, what, progress);
  }

  /**
   * Copies bytes {@code [offset, end)} of the source into {@code w}: appended, or with {@code
   * positional} written at their offsets ({@link ContentWriter#writeAt}).
   */
  static void transfer(
      ContentWriter w,
      BlobSource src,
      long offset,
      long end,
      boolean positional,
      String what,
      LongConsumer progress) {
    long size = end;
    byte[] buf = takeBuffer();
    long done = offset;
    try (InputStream in = openSource(src, offset, what)) {
      while (done < size) {
        if (Thread.currentThread().isInterrupted()) {
          throw cancelled("copy " + what, null);
        }
        int want = (int) Math.min(buf.length, size - done);
        Filled filled = read(in, buf, want, what);
        int n = filled.bytes;
        if (n > 0) {
          // Written even when the read failed or was interrupted: what arrived is kept for the
          // resume (a cancelled fetch closes its writer, which keeps the ingest).
          salvage(w, positional ? done : -1, buf, n, what, filled.failure != null);
          done += n;
          progress.accept(n);
        }
        if (filled.failure != null) {
          throw filled.failure;
        }
        if (n < want && !filled.early) {
          throw new FailedPreconditionException(
              "copy " + what + ": unexpected EOF: got " + done + " of " + size + " bytes");
        }
      }
    } catch (IOException e) {
      // Only close() of the source can get here.
      log.debug("closing source of {} failed", what, e);
    } finally {
      giveBuffer(buf);
    }
  }

  private static InputStream openSource(BlobSource src, long offset, String what) {
    try {
      InputStream in = src.open(offset);
      if (in == null) {
        throw new UnknownException(
            "copy " + what + ": source returned no stream for offset " + offset);
      }
      return in;
    } catch (IOException e) {
      throw remote("open " + what + " at offset " + offset, e);
    }
  }

  /**
   * What one fill of the buffer brought: the bytes read, whether the fill stopped early on purpose
   * (enough in hand and nothing more ready), and the failure that ended it, if any.
   */
  record Filled(int bytes, boolean early, RuntimeException failure) {}

  /**
   * Reads up to {@code want} bytes, until that many arrive, the stream ends, or at least {@link
   * #EAGER_WRITE_BYTES} are in hand and the stream has nothing more ready. A read failure (an
   * interrupt included) is returned with the bytes read before it, so that they are not lost.
   */
  static Filled read(InputStream in, byte[] buf, int want, String what) {
    // Fill the buffer, readNBytes-style: java.net.http hands out 16 KiB per read(), and hashing
    // and writing in such small pieces is the slowest shape (REFERENCE §7). A loop rather than
    // readNBytes itself, which some streams override to read once.
    int n = 0;
    try {
      while (n < want) {
        int r = in.read(buf, n, want - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n >= EAGER_WRITE_BYTES && n < want && in.available() == 0) {
          return new Filled(n, true, null);
        }
      }
      return new Filled(n, false, null);
    } catch (IOException e) {
      return new Filled(n, false, remote("read " + what, e));
    }
  }

  /**
   * Writes bytes in hand; after a failed or interrupted read, with the thread's interrupt flag held
   * aside, because a file channel written with the flag set closes instead of writing.
   */
  private static void salvage(
      ContentWriter w, long position, byte[] buf, int n, String what, boolean afterFailure) {
    if (!afterFailure) {
      write(w, position, buf, n, what);
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      write(w, position, buf, n, what);
    } catch (RuntimeException e) {
      log.debug("keeping {} bytes of {} read before the failure did not work", n, what, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Appends, or with a {@code position} of zero or more writes there. */
  private static void write(ContentWriter w, long position, byte[] buf, int n, String what) {
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
    try {
      if (position >= 0) {
        w.writeAt(position, bb);
        return;
      }
      while (bb.hasRemaining()) {
        w.write(bb);
      }
    } catch (ClosedByInterruptException e) {
      throw cancelled("write " + what, e);
    } catch (IOException e) {
      throw local("write " + what, e);
    }
  }

  static RuntimeException remote(String op, IOException e) {
    if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
      return cancelled(op, e);
    }
    return new UnavailableException(op + ": " + e.getMessage(), e);
  }

  static RuntimeException local(String op, IOException e) {
    if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
      return cancelled(op, e);
    }
    return new UnknownException(op + ": " + e.getMessage(), e);
  }

  static CancellationException cancelled(String op, Throwable cause) {
    Thread.currentThread().interrupt();
    CancellationException c = new CancellationException(op + ": interrupted");
    if (cause != null) {
      c.initCause(cause);
    }
    return c;
  }

  private static String tooLarge(Digest digest, long size, long max) {
    return "read " + digest + ": size " + size + " exceeds the limit of " + max + " bytes";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  static byte[] takeBuffer() {
    byte[] b = POOL.poll();
    if (b == null) {
      return new byte[BUFFER_SIZE];
    }
    POOL_SIZE.decrementAndGet();
    return b;
  }

  static void giveBuffer(byte[] b) {
    if (POOL_SIZE.incrementAndGet() <= POOLED_BUFFERS) {
      POOL.offer(b);
    } else {
      POOL_SIZE.decrementAndGet();
    }
  }
}
